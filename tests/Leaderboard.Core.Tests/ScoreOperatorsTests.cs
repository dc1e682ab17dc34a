using Leaderboard.Api.Model;
using Leaderboard.Api.Scoring;

namespace Leaderboard.Core.Tests;

/// <summary>How each operator combines a submission with the stored record, in both directions.</summary>
public sealed class ScoreOperatorsTests
{
    [Theory]
    // descending: higher is better; subscore breaks ties in the same direction
    [InlineData(SortOrder.Descending, 10, 0, 11, 0, 11, 0)]
    [InlineData(SortOrder.Descending, 10, 0, 9, 99, 10, 0)]
    [InlineData(SortOrder.Descending, 10, 5, 10, 6, 10, 6)]
    [InlineData(SortOrder.Descending, 10, 5, 10, 4, 10, 5)]
    [InlineData(SortOrder.Descending, 10, 5, 10, 5, 10, 5)]
    // ascending (lap times): lower is better, for the subscore too
    [InlineData(SortOrder.Ascending, 10, 0, 9, 0, 9, 0)]
    [InlineData(SortOrder.Ascending, 10, 0, 11, -99, 10, 0)]
    [InlineData(SortOrder.Ascending, 10, 5, 10, 4, 10, 4)]
    [InlineData(SortOrder.Ascending, 10, 5, 10, 6, 10, 5)]
    [InlineData(SortOrder.Ascending, 10, 5, 10, 5, 10, 5)]
    public void BestKeepsTheBetterPairAsAWhole(SortOrder order, long score, long subscore, long submitted, long submittedSub, long expectedScore, long expectedSub)
    {
        var result = ScoreOperators.Combine(Boards.With(order), Boards.Record(score, subscore), submitted, submittedSub);

        Assert.Equal((expectedScore, expectedSub), result);
    }

    [Theory]
    [InlineData(SortOrder.Descending, 10, 5, 10, 5, true)]
    [InlineData(SortOrder.Ascending, 10, 5, 10, 5, true)]
    [InlineData(SortOrder.Descending, 10, 5, 11, 0, true)]
    [InlineData(SortOrder.Ascending, 10, 5, 9, 0, true)]
    [InlineData(SortOrder.Descending, 10, 5, 10, 4, false)]
    [InlineData(SortOrder.Ascending, 10, 5, 10, 6, false)]
    [InlineData(SortOrder.Ascending, 10, 5, 11, 0, false)]
    public void UnderBestASubmissionTakesTheRecordsPlaceUnlessItIsWorse(SortOrder order, long score, long subscore, long submitted, long submittedSub, bool replaces)
    {
        // Taking the place means its metadata is kept: an equal pair with new metadata updates it.
        Assert.Equal(replaces, ScoreOperators.Replaces(Boards.With(order), Boards.Record(score, subscore), submitted, submittedSub));
    }

    [Theory]
    [InlineData(ScoreOperator.Set)]
    [InlineData(ScoreOperator.Increment)]
    [InlineData(ScoreOperator.Decrement)]
    public void EveryOtherOperatorAlwaysTakesTheRecordsPlace(ScoreOperator op)
    {
        Assert.True(ScoreOperators.Replaces(Boards.With(SortOrder.Descending, op), Boards.Record(100, 100), -5, -5));
        Assert.True(ScoreOperators.Replaces(Boards.With(SortOrder.Ascending, op), Boards.Record(-100, -100), 500, 5));
    }

    [Fact]
    public void SetReplacesTheRecordEvenWithAWorseScore() =>
        Assert.Equal((3L, -1L), ScoreOperators.Combine(Boards.With(op: ScoreOperator.Set), Boards.Record(100, 7), 3, -1));

    [Fact]
    public void IncrementAndDecrementAddToScoreAndSubscore()
    {
        Assert.Equal((107L, 9L), ScoreOperators.Combine(Boards.With(op: ScoreOperator.Increment), Boards.Record(100, 7), 7, 2));
        Assert.Equal((93L, 5L), ScoreOperators.Combine(Boards.With(op: ScoreOperator.Decrement), Boards.Record(100, 7), 7, 2));
    }

    [Theory]
    [InlineData(ScoreOperator.Increment, ScoreRange.Max, 1)]
    [InlineData(ScoreOperator.Decrement, ScoreRange.Min, 1)]
    [InlineData(ScoreOperator.Increment, ScoreRange.Min, -1)]
    public void ARunningTotalThatWouldLeaveTheRangeIsRefused(ScoreOperator op, long stored, long delta)
    {
        var error = Assert.Throws<ScoreOutOfRangeException>(() => ScoreOperators.Combine(Boards.With(op: op), Boards.Record(stored), delta, 0));
        Assert.EndsWith("would leave the score range ±9007199254740991.", error.Message);
    }

    [Theory]
    [InlineData(ScoreOperator.Increment, ScoreRange.Max - 1, ScoreRange.Max)]
    [InlineData(ScoreOperator.Decrement, ScoreRange.Min + 1, ScoreRange.Min)]
    public void ARunningTotalMayReachTheRangesEdge(ScoreOperator op, long stored, long expected) =>
        Assert.Equal(expected, ScoreOperators.Combine(Boards.With(op: op), Boards.Record(stored), 1, 0).Score);

    [Fact]
    public void ASubscoreRunningTotalIsBoundedToo()
    {
        Assert.Throws<ScoreOutOfRangeException>(() => ScoreOperators.Combine(Boards.With(op: ScoreOperator.Increment), Boards.Record(0, ScoreRange.Max), 0, 1));
    }

    [Fact]
    public void AnUndefinedOperatorIsAnError()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ScoreOperators.Combine(Boards.With(op: (ScoreOperator)42), Boards.Record(1), 1, 0));
        Assert.StartsWith("Unknown operator.", error.Message);
    }
}
