namespace Leaderboard.Api.Model;

/// <summary>The player at rank 1 and their record.</summary>
public sealed record StatsLeader(string Player, long Score);
