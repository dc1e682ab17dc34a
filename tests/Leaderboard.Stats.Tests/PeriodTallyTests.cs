using Leaderboard.Stats.Feed;

namespace Leaderboard.Stats.Tests;

public sealed class PeriodTallyTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    private static ScoreChange Change(string player, long? old, long? score, int second = 0) =>
        new("all-time", player, old, old is null ? null : 0, score, score is null ? null : 0, Start.AddSeconds(second));

    [Fact]
    public void OrderFreePartsEndTheSameWhateverOrderTheChangesComeIn()
    {
        // Two players' chains of records; the chains' steps applied in order and reversed.
        ScoreChange[] changes =
        [
            Change("a", null, 100), Change("a", 100, 200), Change("a", 200, 300),
            Change("b", null, 50), Change("b", 50, -20), Change("c", null, 0), Change("c", 0, null),
        ];
        var ordered = new PeriodTally(higherIsBetter: true);
        var reversed = new PeriodTally(higherIsBetter: true);
        Array.ForEach(changes, ordered.Apply);
        Array.ForEach([.. changes.Reverse()], reversed.Apply);

        foreach (var tally in new[] { ordered, reversed })
        {
            Assert.Equal(2, tally.Entries);
            Assert.Equal(280m, tally.ScoreSum);
            Assert.Equal(6, tally.Changes);
            Assert.Equal(140, tally.Mean);
            Assert.Equal("[{\"from\":-49,\"to\":-20,\"count\":1},{\"from\":200,\"to\":499,\"count\":1}]", tally.Histogram.ToJson());
        }

        Assert.Equal(ordered.Sketch.ToJson(), reversed.Sketch.ToJson());
    }

    [Fact]
    public void OnlyAStrictlyBetterRecordTakesRankOne()
    {
        var tally = new PeriodTally(higherIsBetter: true);
        tally.Apply(Change("a", null, 10, 1));
        tally.Apply(Change("b", null, 10, 2));
        tally.Apply(Change("c", null, 30, 3));
        tally.Apply(Change("c", 30, 40, 4));
        tally.Apply(Change("a", 10, 50, 5));

        Assert.Equal([new NewLeader("a", 10, Start.AddSeconds(1)), new NewLeader("c", 30, Start.AddSeconds(3)), new NewLeader("a", 50, Start.AddSeconds(5))], tally.NewLeaders);
        Assert.Equal(new Leader("a", 50, 0), tally.Leader);
        Assert.False(tally.LeaderUnknown);
    }

    [Fact]
    public void OnABoardWhereLowerIsBetterTheLowestRecordLeads()
    {
        var tally = new PeriodTally(higherIsBetter: false);
        tally.Apply(Change("a", null, 60));
        tally.Apply(Change("b", null, 90));
        tally.Apply(Change("b", 90, 45));

        Assert.Equal(["a", "b"], tally.NewLeaders.Select(leader => leader.Player));
        Assert.Equal(new Leader("b", 45, 0), tally.Leader);
    }

    [Fact]
    public void ALeaderRemovedOrWorseIsReadFromTheRecordsAndAnotherPlayerTakingOverIsANewLeader()
    {
        var tally = new PeriodTally(higherIsBetter: true);
        tally.Apply(Change("a", null, 10));
        tally.Apply(Change("b", null, 20));
        tally.Apply(Change("b", 20, null));

        Assert.True(tally.LeaderUnknown);
        tally.ResolveLeader(new Leader("a", 10, 0), Start.AddMinutes(1));

        Assert.False(tally.LeaderUnknown);
        Assert.Equal(["a", "b", "a"], tally.NewLeaders.Select(leader => leader.Player));
        Assert.Equal(Start.AddMinutes(1), tally.NewLeaders[^1].At);
    }

    [Fact]
    public void OnlyTheLastTenLeadershipsAreKept()
    {
        var tally = new PeriodTally(higherIsBetter: true);
        for (var i = 1; i <= 12; i++)
        {
            tally.Apply(Change($"p{i}", null, i));
        }

        Assert.Equal(Enumerable.Range(3, 10).Select(i => $"p{i}"), tally.NewLeaders.Select(leader => leader.Player));
    }

    [Fact]
    public void AClimbCountsTheRecordsPassedAndOnlyImprovementsClimb()
    {
        var tally = new PeriodTally(higherIsBetter: true);
        foreach (var (player, score) in new[] { ("a", 100L), ("b", 1_000L), ("c", 10_000L), ("d", 100_000L) })
        {
            tally.Apply(Change(player, null, score));
        }

        tally.Apply(Change("a", 100, 50_000, 10));
        tally.Apply(Change("d", 100_000, 5));

        Assert.Equal([new Climb("a", 2, Start.AddSeconds(10))], tally.Climbs);
    }

    [Fact]
    public void ChangesReachingTheMinOrMaxAskForThemToBeReadAndOthersDoNot()
    {
        var inside = new PeriodTally(higherIsBetter: true) { MinScore = 10, MaxScore = 100 };
        inside.Apply(Change("a", 20, 90));
        Assert.False(inside.ExtremesTouched);

        foreach (var change in new[] { Change("a", 20, 100), Change("a", 10, 50), Change("a", null, 101), Change("a", 50, null) with { OldScore = 9 } })
        {
            var tally = new PeriodTally(higherIsBetter: true) { MinScore = 10, MaxScore = 100 };
            tally.Apply(change);
            Assert.True(tally.ExtremesTouched, $"{change}");
        }

        var empty = new PeriodTally(higherIsBetter: true);
        empty.Apply(Change("a", null, 5));
        Assert.True(empty.ExtremesTouched);
    }

    [Fact]
    public void SubmissionsAreCountedPerMinuteAndMinutesOlderThanTheWindowBeforeTheNewestGo()
    {
        var tally = new PeriodTally(higherIsBetter: true);
        tally.Count(new SubmissionCount("all-time", Start, 3));
        tally.Count(new SubmissionCount("all-time", Start, 2));
        tally.Count(new SubmissionCount("all-time", Start.AddMinutes(59), 4));

        Assert.Equal(9, tally.Submissions);
        Assert.Equal([5, 4], tally.Minutes.Values);

        tally.Count(new SubmissionCount("all-time", Start.AddMinutes(60), 1));

        Assert.Equal(10, tally.Submissions);
        Assert.Equal([Start.AddMinutes(59), Start.AddMinutes(60)], tally.Minutes.Keys);
    }

    [Fact]
    public void TheMeanOfNoRecordsIsNullAndTheLastChangeIsTheLatestWhateverTheOrder()
    {
        var tally = new PeriodTally(higherIsBetter: true);
        Assert.Null(tally.Mean);

        tally.Apply(Change("a", null, 10, second: 9));
        tally.Apply(Change("a", 10, null, second: 3));

        Assert.Null(tally.Mean);
        Assert.Equal(Start.AddSeconds(9), tally.LastChangeAt);
    }

    [Fact]
    public void AReadLeaderOfNoRecordsIsNoneAndNoLeadership()
    {
        var tally = new PeriodTally(higherIsBetter: true);
        tally.Apply(Change("a", null, 10));
        tally.Apply(Change("a", 10, null));

        tally.ResolveLeader(null, Start);

        Assert.Null(tally.Leader);
        Assert.Equal(["a"], tally.NewLeaders.Select(leader => leader.Player));
    }

    [Fact]
    public void ALeaderWhoseRecordGetsWorseIsReadFromTheRecords()
    {
        var tally = new PeriodTally(higherIsBetter: true);
        tally.Apply(Change("a", null, 50));
        tally.Apply(Change("b", null, 40));
        Assert.False(tally.LeaderUnknown);

        tally.Apply(Change("a", 50, 30));

        Assert.True(tally.LeaderUnknown);
    }

    [Theory]
    [InlineData(true, 7, true)]
    [InlineData(true, 5, false)]
    [InlineData(true, 3, false)]
    [InlineData(false, 3, true)]
    [InlineData(false, 5, false)]
    [InlineData(false, 7, false)]
    public void OnEqualScoresTheSubscoreDecidesAndAnEqualPairKeepsTheHolder(bool higherIsBetter, long subscore, bool takes)
    {
        var tally = new PeriodTally(higherIsBetter);
        tally.Apply(new ScoreChange("all-time", "a", null, null, 100, 5, Start));
        tally.Apply(new ScoreChange("all-time", "b", null, null, 100, subscore, Start));

        Assert.Equal(takes ? "b" : "a", tally.Leader!.PlayerId);
    }

    [Theory]
    [InlineData(true, 101, true)]
    [InlineData(true, 99, false)]
    [InlineData(false, 99, true)]
    [InlineData(false, 101, false)]
    public void AScoreDecidesBeforeTheSubscore(bool higherIsBetter, long score, bool takes)
    {
        var tally = new PeriodTally(higherIsBetter);
        tally.Apply(new ScoreChange("all-time", "a", null, null, 100, 5, Start));
        tally.Apply(new ScoreChange("all-time", "b", null, null, score, higherIsBetter ? 0 : 9, Start));

        Assert.Equal(takes ? "b" : "a", tally.Leader!.PlayerId);
    }

    [Fact]
    public void WhereLowerIsBetterAClimbIsALowerScore()
    {
        var tally = new PeriodTally(higherIsBetter: false);
        foreach (var (player, score) in new[] { ("a", 100L), ("b", 1_000L), ("c", 10_000L), ("d", 100_000L) })
        {
            tally.Apply(Change(player, null, score));
        }

        tally.Apply(Change("d", 100_000, 50));
        tally.Apply(Change("a", 100, 5_000));

        Assert.Equal([new Climb("d", 3, Start)], tally.Climbs);
    }

    [Fact]
    public void NoChangeOrCountIsNull()
    {
        var tally = new PeriodTally(higherIsBetter: true);

        Assert.Throws<ArgumentNullException>(() => tally.Apply(null!));
        Assert.Throws<ArgumentNullException>(() => tally.Count(null!));
    }
}
