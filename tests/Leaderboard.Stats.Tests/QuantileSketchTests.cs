using Leaderboard.Stats.Sketches;

namespace Leaderboard.Stats.Tests;

public sealed class QuantileSketchTests
{
    private static readonly double[] Quantiles = [0, 0.01, 0.25, 0.5, 0.9, 0.99, 0.999, 1];

    // Floating-point rounding at a bucket's edge may add a few ulps to the stated bound.
    private const double Ulps = 1e-12;

    public static TheoryData<string, double> Distributions => new()
    {
        { "uniform", 0.01 },
        { "long-tail", 0.01 },
        { "signed-with-zeros", 0.01 },
        { "few-distinct", 0.01 },
        { "uniform", 0.05 },
        { "long-tail", 0.001 },
    };

    /// <summary>Seeded, so a failure reproduces: scores as games make them.</summary>
    private static long[] Scores(string distribution, int seed = 17, int count = 20_000)
    {
        var random = new Random(seed);
        return distribution switch
        {
            "uniform" => [.. Enumerable.Range(0, count).Select(_ => random.NextInt64(1, 1_000_001))],
            // Most players low, a few very high, as arcade scores go.
            "long-tail" => [.. Enumerable.Range(0, count).Select(_ => (long)Math.Ceiling(Math.Exp(random.NextDouble() * 20)))],
            "signed-with-zeros" => [.. Enumerable.Range(0, count).Select(_ => random.Next(4) == 0 ? 0 : random.NextInt64(-50_000, 50_001))],
            "few-distinct" => [.. Enumerable.Range(0, count).Select(_ => (long)random.Next(1, 6) * 1000)],
            _ => throw new ArgumentOutOfRangeException(nameof(distribution)),
        };
    }

    /// <summary>The nearest-rank quantile, computed here by sorting: the ⌈q·n⌉-th smallest, the smallest for q = 0.</summary>
    private static long Exact(long[] sorted, double q) => sorted[Math.Max(1, (int)Math.Ceiling(q * sorted.Length)) - 1];

    private static QuantileSketch SketchOf(IEnumerable<long> scores, double alpha = QuantileSketch.DefaultRelativeAccuracy)
    {
        var sketch = new QuantileSketch(alpha);
        foreach (var score in scores)
        {
            sketch.Add(score);
        }

        return sketch;
    }

    [Theory]
    [MemberData(nameof(Distributions))]
    public void EveryQuantileIsWithinTheStatedRelativeErrorOfTheExactOne(string distribution, double alpha)
    {
        var scores = Scores(distribution);
        var sorted = scores.Order().ToArray();
        var sketch = SketchOf(scores, alpha);

        Assert.Equal(scores.Length, sketch.Count);
        foreach (var q in Quantiles)
        {
            var exact = Exact(sorted, q);
            var estimate = sketch.Quantile(q)!.Value;
            Assert.True(
                Math.Abs(estimate - exact) <= (alpha + Ulps) * Math.Abs(exact),
                $"{distribution}, α {alpha}, q {q}: estimate {estimate}, exact {exact}");
        }
    }

    [Theory]
    [InlineData(0.0, 10)]
    [InlineData(0.25, 10)]
    [InlineData(0.3, 1_000)]
    [InlineData(0.5, 1_000)]
    [InlineData(0.51, 100_000)]
    [InlineData(0.75, 100_000)]
    [InlineData(0.76, 10_000_000)]
    [InlineData(1.0, 10_000_000)]
    public void AQuantileIsTheNearestRankOne(double q, long exact)
    {
        // Values far apart, one per bucket: only the right rank lands within 1%.
        var sketch = SketchOf([100_000, 10, 10_000_000, 1_000]);

        Assert.InRange(sketch.Quantile(q)!.Value, exact * 0.99, exact * 1.01);
    }

    [Fact]
    public void TheBoundIsTightEnoughToMean1PercentNotMore()
    {
        // 101 and 102 differ by ~1%: at α = 0.1% they land apart and p50 and p99 stay apart.
        var sketch = SketchOf([.. Enumerable.Repeat(101L, 50), .. Enumerable.Repeat(102L, 50)], alpha: 0.001);

        Assert.InRange(sketch.Quantile(0.5)!.Value, 101 * 0.999, 101 * 1.001);
        Assert.InRange(sketch.Quantile(0.99)!.Value, 102 * 0.999, 102 * 1.001);
    }

    [Fact]
    public void SketchesOfPartsMergedInAnyOrderEqualTheSketchOfTheWhole()
    {
        var scores = Scores("signed-with-zeros");
        var parts = scores.Chunk(3_000).Select(part => SketchOf(part)).ToList();

        var forward = new QuantileSketch();
        parts.ForEach(forward.Merge);
        var backward = new QuantileSketch();
        Enumerable.Reverse(parts).ToList().ForEach(backward.Merge);

        var whole = SketchOf(scores).ToJson();
        Assert.Equal(whole, forward.ToJson());
        Assert.Equal(whole, backward.ToJson());
    }

    [Fact]
    public void RemovingValuesLeavesTheSketchOfWhatRemains()
    {
        var kept = Scores("uniform", seed: 1, count: 5_000);
        var replaced = Scores("signed-with-zeros", seed: 2, count: 5_000);
        var sketch = SketchOf([.. kept, .. replaced]);

        foreach (var score in replaced)
        {
            sketch.Remove(score);
        }

        Assert.Equal(SketchOf(kept).ToJson(), sketch.ToJson());
    }

    [Fact]
    public void ARemovalAppliedBeforeItsAdditionEndsInTheSameSketch()
    {
        // Each player's chain of records (added, then replaced by the next), its steps applied in a
        // shuffled order: the end state is the sketch of the last records, as if applied in order.
        var random = new Random(5);
        var chains = Enumerable.Range(0, 300).Select(_ => Scores("signed-with-zeros", seed: random.Next(), count: random.Next(1, 5))).ToList();
        var steps = chains.SelectMany(chain => chain.Select((score, i) => (Old: i == 0 ? (long?)null : chain[i - 1], New: score))).ToList();
        var sketch = new QuantileSketch();
        foreach (var (old, score) in steps.OrderBy(_ => random.Next()))
        {
            if (old is { } value)
            {
                sketch.Remove(value);
            }

            sketch.Add(score);
        }

        var last = SketchOf([.. chains.Select(chain => chain[^1])]);
        Assert.Equal(last.ToJson(), sketch.ToJson());
        Assert.Equal(last.Count, sketch.Count);
        Assert.Equal(last.ToJson(), QuantileSketch.FromJson(sketch.ToJson()).ToJson());
    }

    [Fact]
    public void AValueRemovedBeforeItIsAddedReadsBackAndCancelsOut()
    {
        var sketch = SketchOf([5, 1_000]);
        sketch.Remove(200);
        sketch.Remove(0);

        var read = QuantileSketch.FromJson(sketch.ToJson());
        read.Add(200);
        read.Add(0);

        Assert.Equal(SketchOf([5, 1_000]).ToJson(), read.ToJson());
    }

    [Theory]
    [InlineData("uniform")]
    [InlineData("long-tail")]
    [InlineData("signed-with-zeros")]
    public void CountStrictlyBetweenMissesOnlyValuesSharingABucketWithAnEnd(string distribution)
    {
        var scores = Scores(distribution, count: 5_000);
        var sketch = SketchOf(scores);
        var random = new Random(9);
        var gamma = sketch.Gamma;

        // Both ends' buckets hold values within a factor γ of the end, of the same sign.
        bool NearEnd(long value, long end) => Math.Sign(value) == Math.Sign(end) && value != 0 && Math.Abs((double)value) >= Math.Abs((double)end) / gamma && Math.Abs((double)value) <= Math.Abs((double)end) * gamma;

        for (var i = 0; i < 200; i++)
        {
            var (low, high) = (scores[random.Next(scores.Length)], scores[random.Next(scores.Length)]);
            if (low > high)
            {
                (low, high) = (high, low);
            }

            var between = scores.Where(s => s > low && s < high).ToList();
            var counted = sketch.CountStrictlyBetween(low, high);

            Assert.Equal(counted, sketch.CountStrictlyBetween(high, low));
            Assert.InRange(counted, between.Count(s => !NearEnd(s, low) && !NearEnd(s, high) && !(s == 0 && (low == 0 || high == 0))), between.Count);
        }
    }

    [Fact]
    public void ItsJsonReadsBackToTheSameSketch()
    {
        var sketch = SketchOf(Scores("signed-with-zeros"));

        var read = QuantileSketch.FromJson(sketch.ToJson());

        Assert.Equal(sketch.ToJson(), read.ToJson());
        Assert.Equal(sketch.Count, read.Count);
        Assert.All(Quantiles, q => Assert.Equal(sketch.Quantile(q), read.Quantile(q)));
        Assert.Throws<FormatException>(() => QuantileSketch.FromJson("{\"alpha\":0.01,\"zeros\":0,\"positive\":{\"3\":0},\"negative\":{}}"));
    }

    [Fact]
    public void AnEmptySketchHasNoQuantiles()
    {
        var sketch = new QuantileSketch();

        Assert.Null(sketch.Quantile(0.5));
        sketch.Add(7);
        sketch.Remove(7);
        Assert.Null(sketch.Quantile(0.5));
    }

    [Fact]
    public void AQuantileOnABucketsLastValueIsThatBucketsNotTheNext()
    {
        var sketch = SketchOf([-100, 0, 0, 100, 200]);

        // Nearest ranks 1 to 5, one bucket each but the two zeros.
        Assert.InRange(sketch.Quantile(0.2)!.Value, -101, -99);
        Assert.Equal(0, sketch.Quantile(0.4));
        Assert.Equal(0, sketch.Quantile(0.6));
        Assert.InRange(sketch.Quantile(0.8)!.Value, 99, 101);
        Assert.InRange(sketch.Quantile(1)!.Value, 198, 202);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(-0.5)]
    [InlineData(1.5)]
    public void AnAccuracyOutsideZeroToOneIsRefused(double alpha) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new QuantileSketch(alpha));

    [Fact]
    public void AQuantileOutsideZeroToOneOrANegativeCountIsRefused()
    {
        var sketch = SketchOf([1, 2, 3]);

        Assert.Throws<ArgumentOutOfRangeException>(() => sketch.Quantile(-0.01));
        Assert.Throws<ArgumentOutOfRangeException>(() => sketch.Quantile(1.01));
        Assert.Throws<ArgumentOutOfRangeException>(() => sketch.Add(5, -1));
        Assert.Equal(3, sketch.Count);
    }

    [Fact]
    public void OnlySketchesOfOneAccuracyMergeAndAMergeCountsBoth()
    {
        var sketch = SketchOf([1, 2, 3]);

        Assert.Throws<ArgumentException>(() => sketch.Merge(new QuantileSketch(0.05)));
        Assert.Throws<ArgumentNullException>(() => sketch.Merge(null!));
        sketch.Merge(SketchOf([-4, 0]));
        Assert.Equal(5, sketch.Count);
        Assert.Equal(SketchOf([-4, 0, 1, 2, 3]).ToJson(), sketch.ToJson());
    }

    [Theory]
    [InlineData("{\"alpha\":0.01,\"zeros\":0,\"positive\":{},\"negative\":{\"3\":0}}")]
    [InlineData("{\"alpha\":0.01,\"zeros\":0,\"negative\":{}}")]
    [InlineData("null")]
    public void JsonThatIsNoSketchIsRefused(string json) =>
        Assert.ThrowsAny<Exception>(() => QuantileSketch.FromJson(json));
}
