using System.ComponentModel;

namespace Leaderboard.Recaps;

/// <summary>
/// The pre-aggregated statistics of one board period, as the recap stage reads them: every number
/// and player a faithful recap may mention is here.
/// </summary>
public sealed record PeriodDigest(
    [property: Description("The board's id.")] string Board,
    [property: Description("The period's id, e.g. all-time or 20261126T000000Z.")] string Period,
    [property: Description("Players with a score in the period.")] long Entries,
    [property: Description("Score submissions per minute over the last hour.")] double SubmissionsPerMinute,
    [property: Description("The lowest score.")] long MinScore,
    [property: Description("The highest score.")] long MaxScore,
    [property: Description("The mean score.")] double MeanScore,
    [property: Description("The median score (p50).")] double P50,
    [property: Description("The 90th percentile score (p90).")] double P90,
    [property: Description("The 99th percentile score (p99).")] double P99,
    [property: Description("The player at rank 1 now.")] string Leader,
    [property: Description("The leader's score.")] long LeaderScore,
    [property: Description("Players who took rank 1 during the period, oldest first.")] IReadOnlyList<string> NewLeaders,
    [property: Description("The biggest rank climbers of the last hour, biggest first.")] IReadOnlyList<Climber> Climbers)
{
    // A record compares lists by reference; digests read back from JSON are equal by their values.
    public bool Equals(PeriodDigest? other) =>
        other is not null
        && (Board, Period, Entries, SubmissionsPerMinute, MinScore, MaxScore, MeanScore, P50, P90, P99, Leader, LeaderScore)
            == (other.Board, other.Period, other.Entries, other.SubmissionsPerMinute, other.MinScore, other.MaxScore, other.MeanScore, other.P50, other.P90, other.P99, other.Leader, other.LeaderScore)
        && NewLeaders.SequenceEqual(other.NewLeaders)
        && Climbers.SequenceEqual(other.Climbers);

    public override int GetHashCode() => HashCode.Combine(Board, Period, Entries, Leader, LeaderScore);
}
