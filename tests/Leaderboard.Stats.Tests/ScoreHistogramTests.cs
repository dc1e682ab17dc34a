using Leaderboard.Stats.Sketches;

namespace Leaderboard.Stats.Tests;

public sealed class ScoreHistogramTests
{
    [Theory]
    [InlineData(0, 0, 0)]
    [InlineData(1, 1, 1)]
    [InlineData(2, 2, 4)]
    [InlineData(4, 2, 4)]
    [InlineData(5, 5, 9)]
    [InlineData(9, 5, 9)]
    [InlineData(10, 10, 19)]
    [InlineData(19, 10, 19)]
    [InlineData(20, 20, 49)]
    [InlineData(99, 50, 99)]
    [InlineData(1_999, 1_000, 1_999)]
    [InlineData(250_000, 200_000, 499_999)]
    [InlineData(-1, -1, -1)]
    [InlineData(-3, -4, -2)]
    [InlineData(-70, -99, -50)]
    [InlineData(9_007_199_254_740_991, 5_000_000_000_000_000, 9_999_999_999_999_999)]
    public void AScoreFallsInItsOneTwoFiveBin(long score, long from, long to)
    {
        var histogram = new ScoreHistogram();
        histogram.Add(score);

        Assert.Equal(new HistogramBin(from, to, 1), Assert.Single(histogram.Bins()));
    }

    [Fact]
    public void BinsCountEveryScoreExactlyAndTileTheRangeWithoutGaps()
    {
        var random = new Random(3);
        var scores = Enumerable.Range(0, 20_000).Select(_ => random.Next(5) == 0 ? random.NextInt64(-5_000, 5_000) : random.NextInt64(-1_000_000_000, 1_000_000_000)).ToList();
        var histogram = new ScoreHistogram();
        scores.ForEach(histogram.Add);

        var bins = histogram.Bins().ToList();

        // Every bin's count is the number of scores within its bounds, counted here by comparison.
        Assert.All(bins, bin => Assert.Equal(scores.Count(score => score >= bin.From && score <= bin.To), bin.Count));
        Assert.Equal(scores.Count, bins.Sum(bin => bin.Count));
        Assert.Equal(bins.OrderBy(bin => bin.From), bins);
        Assert.All(bins.Zip(bins.Skip(1)), pair => Assert.True(pair.First.To < pair.Second.From));
    }

    [Fact]
    public void ARemovalBeforeItsAdditionCancelsOutAndReadsBack()
    {
        var histogram = new ScoreHistogram();
        histogram.Add(7);
        histogram.Remove(30);

        Assert.Equal([new HistogramBin(5, 9, 1)], histogram.Bins());
        var read = ScoreHistogram.FromJson(histogram.ToJson());
        read.Add(30);

        Assert.Equal("[{\"from\":5,\"to\":9,\"count\":1}]", read.ToJson());
    }

    [Theory]
    [InlineData("[{\"from\":6,\"to\":9,\"count\":1}]")]
    [InlineData("[{\"from\":5,\"to\":10,\"count\":1}]")]
    [InlineData("[{\"from\":5,\"to\":9,\"count\":0}]")]
    [InlineData("null")]
    public void JsonThatIsNoHistogramIsRefused(string json) =>
        Assert.Throws<FormatException>(() => ScoreHistogram.FromJson(json));

    [Fact]
    public void NegativeAndZeroBinsReadBack()
    {
        var histogram = new ScoreHistogram();
        foreach (var score in new long[] { -70, -3, 0, 0, 12 })
        {
            histogram.Add(score);
        }

        var read = ScoreHistogram.FromJson(histogram.ToJson());

        Assert.Equal([new HistogramBin(-99, -50, 1), new HistogramBin(-4, -2, 1), new HistogramBin(0, 0, 2), new HistogramBin(10, 19, 1)], read.Bins());
    }
}
