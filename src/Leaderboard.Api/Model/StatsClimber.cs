namespace Leaderboard.Api.Model;

/// <summary>A player who gained rank positions in the last hour, and how many.</summary>
public sealed record StatsClimber(string Player, long Positions);
