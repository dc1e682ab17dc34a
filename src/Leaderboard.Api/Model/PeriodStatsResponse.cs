namespace Leaderboard.Api.Model;

/// <summary>
/// A board period's pre-aggregated stats, as the stats worker last wrote them (Leaderboard.Stats).
/// Percentiles are within 1% of the exact nearest-rank value; null fields mean no records yet.
/// </summary>
/// <param name="Period">The period's id.</param>
/// <param name="Entries">Players with a record.</param>
/// <param name="Changes">Submissions that changed a record.</param>
/// <param name="MinScore">The lowest record.</param>
/// <param name="MaxScore">The highest record.</param>
/// <param name="MeanScore">The mean record.</param>
/// <param name="P50">The median record.</param>
/// <param name="P90">The 90th percentile record.</param>
/// <param name="P99">The 99th percentile record.</param>
/// <param name="LastChangeAt">When the latest change counted here was submitted.</param>
/// <param name="UpdatedAt">When the worker last wrote these stats; null before its first write.</param>
public sealed record PeriodStatsResponse(
    string Period,
    long Entries,
    long Changes,
    long? MinScore,
    long? MaxScore,
    double? MeanScore,
    double? P50,
    double? P90,
    double? P99,
    DateTimeOffset? LastChangeAt,
    DateTimeOffset? UpdatedAt);
