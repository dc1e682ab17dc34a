namespace Leaderboard.Stats.Feed;

/// <summary>
/// One committed change of a player's record in a board period, as the change log holds it: a new
/// record (no old score), a changed one (both), or a removed one (no new score).
/// </summary>
public sealed record ScoreChange(string Period, string PlayerId, long? OldScore, long? OldSubscore, long? NewScore, long? NewSubscore, DateTimeOffset ChangedAt);
