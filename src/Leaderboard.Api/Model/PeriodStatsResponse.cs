namespace Leaderboard.Api.Model;

/// <summary>
/// A board period's pre-aggregated stats, as the stats worker last wrote them (Leaderboard.Stats).
/// Min, max, mean, counts and the histogram are exact; percentiles are within 1% of the exact
/// nearest-rank value; climbs are estimated from the same sketch (README, Stats). Null fields mean no records yet.
/// </summary>
/// <param name="Period">The period's id.</param>
/// <param name="Entries">Players with a record.</param>
/// <param name="Changes">Submissions that changed a record.</param>
/// <param name="Submissions">Submissions accepted, changing a record or not.</param>
/// <param name="SubmissionsPerMinute">Submissions accepted in the last hour, per minute.</param>
/// <param name="MinScore">The lowest record.</param>
/// <param name="MaxScore">The highest record.</param>
/// <param name="MeanScore">The mean record.</param>
/// <param name="P50">The median record.</param>
/// <param name="P90">The 90th percentile record.</param>
/// <param name="P99">The 99th percentile record.</param>
/// <param name="Histogram">Records per score bin (1-2-5 bins), lowest scores first; bins without records left out.</param>
/// <param name="Leader">The player at rank 1.</param>
/// <param name="NewLeaders">The latest players to take rank 1, oldest first.</param>
/// <param name="Climbers">The players who gained the most rank positions in the last hour, biggest first.</param>
/// <param name="Recap">The latest published recap of the period, or null (no model configured, or none passed the metric yet).</param>
/// <param name="LastChangeAt">When the latest change counted here was submitted.</param>
/// <param name="UpdatedAt">When the worker last wrote these stats; null before its first write.</param>
public sealed record PeriodStatsResponse(
    string Period,
    long Entries,
    long Changes,
    long Submissions,
    double SubmissionsPerMinute,
    long? MinScore,
    long? MaxScore,
    double? MeanScore,
    double? P50,
    double? P90,
    double? P99,
    IReadOnlyList<StatsHistogramBin> Histogram,
    StatsLeader? Leader,
    IReadOnlyList<StatsNewLeader> NewLeaders,
    IReadOnlyList<StatsClimber> Climbers,
    StatsRecap? Recap,
    DateTimeOffset? LastChangeAt,
    DateTimeOffset? UpdatedAt);
