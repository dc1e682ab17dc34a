namespace Leaderboard.Api.Model;

/// <summary>A player who took rank 1, with the score that took it and when.</summary>
public sealed record StatsNewLeader(string Player, long Score, DateTimeOffset At);
