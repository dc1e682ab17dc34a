using Leaderboard.Stats.Sketches;

namespace Leaderboard.Stats.Feed;

/// <summary>
/// The running aggregates of one board period, folded from its logged changes and submission counts.
/// <para>Order-free parts (entries, changes, sum, sketch, histogram, submissions): two transactions
/// on one record may be applied out of their commit order (ChangeApplier), and these end exact
/// whatever the order, because every part is a signed count or a sum.</para>
/// <para>Order-bound parts, taken in log order: new leaders and rank climbs (estimated from the
/// sketch as it stands when the change is applied). Min, max and the leader are exact: when a change
/// touches them, <see cref="ExtremesTouched"/> / <see cref="LeaderUnknown"/> tell the applier to read
/// them from the records.</para>
/// Pure, so the same changes give the same tally whoever applies them.
/// </summary>
public sealed class PeriodTally(bool higherIsBetter)
{
    /// <summary>How many taken leaderships are kept, newest last.</summary>
    public const int NewLeadersKept = 10;

    /// <summary>The window of the submission rate and the rank climbers.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromHours(1);

    public bool HigherIsBetter { get; } = higherIsBetter;

    public long Entries { get; set; }

    /// <summary>Changes of a record (a submission that changed nothing is not a change).</summary>
    public long Changes { get; set; }

    public decimal ScoreSum { get; set; }

    public QuantileSketch Sketch { get; init; } = new();

    public ScoreHistogram Histogram { get; init; } = new();

    /// <summary>Accepted submissions, changing a record or not.</summary>
    public long Submissions { get; set; }

    /// <summary>Accepted submissions per minute, the minutes of the last <see cref="Window"/> before the newest.</summary>
    public SortedDictionary<DateTimeOffset, long> Minutes { get; init; } = [];

    public long? MinScore { get; set; }

    public long? MaxScore { get; set; }

    public Leader? Leader { get; set; }

    public List<NewLeader> NewLeaders { get; init; } = [];

    public DateTimeOffset? LastChangeAt { get; set; }

    /// <summary>Climbs made by the changes applied to this tally (not loaded: the applier stores them).</summary>
    public List<Climb> Climbs { get; } = [];

    /// <summary>A change reached the min or the max (or there is none yet): read them from the records.</summary>
    public bool ExtremesTouched { get; private set; }

    /// <summary>The leader's record got worse or went: read the leader from the records.</summary>
    public bool LeaderUnknown { get; private set; }

    /// <summary>The mean record, or null when the period has none.</summary>
    public double? Mean => Entries <= 0 ? null : (double)(ScoreSum / Entries);

    public void Apply(ScoreChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        Touch(change.OldScore);
        Touch(change.NewScore);

        if (change is { OldScore: { } old, NewScore: { } better } && Gained(old, better) is > 0 and var positions)
        {
            // Measured before the change moves the player: records passed on the way up.
            Climbs.Add(new Climb(change.PlayerId, positions, change.ChangedAt));
        }

        if (change.OldScore is { } removed)
        {
            Sketch.Remove(removed);
            Histogram.Remove(removed);
            ScoreSum -= removed;
            Entries--;
        }

        if (change.NewScore is { } score)
        {
            Sketch.Add(score);
            Histogram.Add(score);
            ScoreSum += score;
            Entries++;

            // A removal is moderation, not a player's change.
            Changes++;
        }

        FollowLeader(change);
        LastChangeAt = LastChangeAt is { } last && last > change.ChangedAt ? last : change.ChangedAt;
    }

    public void Count(SubmissionCount count)
    {
        ArgumentNullException.ThrowIfNull(count);
        Submissions += count.Submissions;
        Minutes[count.Minute] = Minutes.GetValueOrDefault(count.Minute) + count.Submissions;

        // Minutes older than the window before the newest are no use to any rate.
        var newest = Minutes.Keys.Last();
        foreach (var minute in Minutes.Keys.Where(minute => minute <= newest - Window).ToList())
        {
            Minutes.Remove(minute);
        }
    }

    /// <summary>Sets the leader read from the records; a different player than before took rank 1.</summary>
    public void ResolveLeader(Leader? leader, DateTimeOffset at)
    {
        if (leader is not null && leader.PlayerId != Leader?.PlayerId)
        {
            Took(new NewLeader(leader.PlayerId, leader.Score, at));
        }

        Leader = leader;
        LeaderUnknown = false;
    }

    private void FollowLeader(ScoreChange change)
    {
        // Once the leader is unknown, a record better than the last one known still takes rank 1 for sure;
        // anything else waits for the leader read from the records.
        var isLeader = Leader is not null && Leader.PlayerId == change.PlayerId;
        if (change is { NewScore: { } score, NewSubscore: var subscore })
        {
            var record = new Leader(change.PlayerId, score, subscore ?? 0);
            if (Leader is null || Better(record, Leader))
            {
                // Equal records keep the earlier holder at rank 1, so only a strictly better one takes it.
                if (!isLeader)
                {
                    Took(new NewLeader(change.PlayerId, score, change.ChangedAt));
                }

                Leader = record;
            }
            else if (isLeader)
            {
                LeaderUnknown = true;
            }
        }
        else if (isLeader)
        {
            LeaderUnknown = true;
        }
    }

    private void Took(NewLeader taken)
    {
        NewLeaders.Add(taken);
        if (NewLeaders.Count > NewLeadersKept)
        {
            NewLeaders.RemoveAt(0);
        }
    }

    private bool Better(Leader a, Leader b) =>
        HigherIsBetter
            ? a.Score > b.Score || (a.Score == b.Score && a.Subscore > b.Subscore)
            : a.Score < b.Score || (a.Score == b.Score && a.Subscore < b.Subscore);

    private long Gained(long old, long score) =>
        (HigherIsBetter ? score > old : score < old) ? Sketch.CountStrictlyBetween(old, score) : 0;

    private void Touch(long? value)
    {
        if (value is { } v && (MinScore is not { } min || MaxScore is not { } max || v <= min || v >= max))
        {
            ExtremesTouched = true;
        }
    }
}
