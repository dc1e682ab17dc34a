namespace Leaderboard.Api.Model;

/// <summary>One bin of a period's score histogram: records with a score From..To, both included.</summary>
public sealed record StatsHistogramBin(long From, long To, long Count);
