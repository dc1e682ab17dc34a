using Leaderboard.Stats.Sketches;

namespace Leaderboard.Stats.Feed;

/// <summary>
/// The running aggregates of one board period, folded from its changes: players with a record,
/// changes of a record (submissions that changed nothing are not logged, so not counted), the sum of the records (for the mean) and the sketch of them (for the
/// percentiles). Pure, so the same changes give the same tally whoever applies them.
/// </summary>
public sealed class PeriodTally(long entries, long changes, decimal scoreSum, QuantileSketch sketch)
{
    public long Entries { get; private set; } = entries;

    public long Changes { get; private set; } = changes;

    public decimal ScoreSum { get; private set; } = scoreSum;

    public QuantileSketch Sketch { get; } = sketch;

    public DateTimeOffset? LastChangeAt { get; private set; }

    public static PeriodTally Empty() => new(0, 0, 0, new QuantileSketch());

    /// <summary>The mean record, or null when the period has none.</summary>
    public double? Mean => Entries == 0 ? null : (double)(ScoreSum / Entries);

    public void Apply(ScoreChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (change.OldScore is { } old)
        {
            Sketch.Remove(old);
            ScoreSum -= old;
            Entries--;
        }

        if (change.NewScore is { } score)
        {
            Sketch.Add(score);
            ScoreSum += score;
            Entries++;

            // A removal is moderation, not a player's change.
            Changes++;
        }

        LastChangeAt = LastChangeAt is { } last && last > change.ChangedAt ? last : change.ChangedAt;
    }
}
