namespace Leaderboard.Stats.Feed;

/// <summary>Rank positions a player gained with one change of their record.</summary>
public sealed record Climb(string PlayerId, long Positions, DateTimeOffset At);
