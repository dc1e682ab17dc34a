namespace Leaderboard.Stats.Feed;

/// <summary>
/// One committed change of a player's record in a board period, as the change log holds it: a new
/// record (no old score), a better one (both), or a removed one (no new score).
/// </summary>
public sealed record ScoreChange(string Period, long? OldScore, long? NewScore, DateTimeOffset ChangedAt);
