using System.Text.Json;
using System.Text.Json.Serialization;

namespace Leaderboard.Stats.Sketches;

/// <summary>
/// A mergeable quantile sketch of scores with relative error <see cref="RelativeAccuracy"/> (the
/// DDSketch construction): a value v ≠ 0 counts in bucket ⌈log_γ |v|⌉, γ = (1 + α) / (1 − α), by its
/// sign, and zeros apart. Buckets keep the order of values, so the bucket holding the r-th smallest
/// value is found by counting, and its representative 2γⁱ / (γ + 1) is within α·|v| of every value v
/// in it. Hence, stated and tested:
/// <para><b>Error bound.</b> For every q in [0, 1], <see cref="Quantile"/> returns x̂ with
/// |x̂ − x| ≤ α·|x|, where x is the exact nearest-rank quantile (the ⌈q·n⌉-th smallest value, the
/// smallest for q = 0).</para>
/// Merging adds bucket counts, so a sketch of parts merged equals the sketch of the whole, whatever
/// the order; removing a value (a score replaced by a better one) subtracts its count exactly, and
/// counts are signed, so additions and removals commute. The
/// memory is the number of occupied buckets: about log_γ(max/min) per sign, ~1,000 for scores from 1
/// to 10⁹ at α = 1%.
/// </summary>
public sealed class QuantileSketch
{
    /// <summary>The α used for the stored stats: 1% of the value.</summary>
    public const double DefaultRelativeAccuracy = 0.01;

    private readonly SortedDictionary<int, long> _positive = [];
    private readonly SortedDictionary<int, long> _negative = [];
    private readonly double _logGamma;

    public QuantileSketch(double relativeAccuracy = DefaultRelativeAccuracy)
    {
        if (relativeAccuracy is not (> 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(relativeAccuracy), relativeAccuracy, "The relative accuracy is between 0 and 1, exclusive.");
        }

        RelativeAccuracy = relativeAccuracy;
        Gamma = (1 + relativeAccuracy) / (1 - relativeAccuracy);
        _logGamma = Math.Log(Gamma);
    }

    /// <summary>α: every quantile is within α·|exact| of the exact one.</summary>
    public double RelativeAccuracy { get; }

    public double Gamma { get; }

    /// <summary>How many values the sketch holds.</summary>
    public long Count { get; private set; }

    /// <summary>How many zeros it holds.</summary>
    public long Zeros { get; private set; }

    public void Add(long value, long count = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (value == 0)
        {
            Zeros += count;
        }
        else
        {
            Move(value > 0 ? _positive : _negative, IndexOf(value), count);
        }

        Count += count;
    }

    /// <summary>
    /// Takes back a value, e.g. the old score of a player who improved it. Counts are signed, so a
    /// removal may come before the addition it cancels (two transactions on one record can be applied
    /// out of their commit order, see ChangeApplier): once both are applied the sketch is exact again,
    /// whatever their order.
    /// </summary>
    public void Remove(long value)
    {
        if (value == 0)
        {
            Zeros--;
        }
        else
        {
            Move(value > 0 ? _positive : _negative, IndexOf(value), -1);
        }

        Count--;
    }

    /// <summary>
    /// How many values lie in buckets strictly between those of <paramref name="low"/> and
    /// <paramref name="high"/>: the values certainly between the two, short by at most the values that
    /// share a bucket (within α) with either end.
    /// </summary>
    public long CountStrictlyBetween(long low, long high)
    {
        if (low > high)
        {
            (low, high) = (high, low);
        }

        var (from, to) = (Slot(low), Slot(high));
        var total = 0L;
        foreach (var (index, count) in _negative)
        {
            total += Within(-(index + 1L), count);
        }

        if (Zeros != 0)
        {
            total += Within(0, Zeros);
        }

        foreach (var (index, count) in _positive)
        {
            total += Within(index + 1L, count);
        }

        return total;

        long Within(long slot, long count) => slot > from && slot < to ? count : 0;
    }

    // Buckets in value order: negative buckets below -1 (the bigger the magnitude, the lower), zero at 0, positive from 1.
    private long Slot(long value) => value switch
    {
        0 => 0,
        > 0 => IndexOf(value) + 1L,
        _ => -(IndexOf(value) + 1L),
    };

    /// <summary>Adds every value of <paramref name="other"/> (of the same accuracy) to this sketch.</summary>
    public void Merge(QuantileSketch other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.RelativeAccuracy != RelativeAccuracy)
        {
            throw new ArgumentException("Only sketches of the same relative accuracy merge.", nameof(other));
        }

        foreach (var (index, count) in other._positive)
        {
            Move(_positive, index, count);
        }

        foreach (var (index, count) in other._negative)
        {
            Move(_negative, index, count);
        }

        Zeros += other.Zeros;
        Count += other.Count;
    }

    /// <summary>The q-quantile within the error bound (see the class), or null when the sketch is empty.</summary>
    public double? Quantile(double q)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(q, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(q, 1);
        if (Count <= 0)
        {
            return null;
        }

        // The nearest rank, 1-based: the smallest value for q = 0.
        var rank = Math.Max(1, (long)Math.Ceiling(q * Count));
        var seen = 0L;

        // Most negative first: the biggest magnitudes of the negative side.
        foreach (var (index, count) in _negative.Reverse())
        {
            seen += count;
            if (seen >= rank)
            {
                return -Representative(index);
            }
        }

        seen += Zeros;
        if (seen >= rank)
        {
            return 0;
        }

        foreach (var (index, count) in _positive)
        {
            seen += count;
            if (seen >= rank)
            {
                return Representative(index);
            }
        }

        throw new InvalidOperationException("The bucket counts do not add up to Count.");
    }

    /// <summary>The sketch as JSON (buckets in index order, so the same values give the same text).</summary>
    public string ToJson() => JsonSerializer.Serialize(new Stored(RelativeAccuracy, Zeros, _positive, _negative), StoredOptions);

    public static QuantileSketch FromJson(string json)
    {
        var stored = JsonSerializer.Deserialize<Stored>(json, StoredOptions) ?? throw new FormatException("The sketch is null.");
        var sketch = new QuantileSketch(stored.Alpha);
        sketch.Zeros = stored.Zeros;
        sketch.Count = stored.Zeros;
        foreach (var (index, count) in stored.Positive)
        {
            sketch._positive[index] = count != 0 ? count : throw new FormatException($"Bucket {index} has count 0.");
            sketch.Count += count;
        }

        foreach (var (index, count) in stored.Negative)
        {
            sketch._negative[index] = count != 0 ? count : throw new FormatException($"Bucket -{index} has count 0.");
            sketch.Count += count;
        }

        return sketch;
    }

    // A bucket whose count comes to 0 goes, so equal contents give equal JSON.
    private static void Move(SortedDictionary<int, long> buckets, int index, long by)
    {
        var count = buckets.GetValueOrDefault(index) + by;
        if (count == 0)
        {
            buckets.Remove(index);
        }
        else
        {
            buckets[index] = count;
        }
    }

    private int IndexOf(long value) => (int)Math.Ceiling(Math.Log(Math.Abs((double)value)) / _logGamma);

    // The middle of bucket (γ^(i-1), γ^i] in relative terms: at most α from either end.
    private double Representative(int index) => 2 * Math.Pow(Gamma, index) / (Gamma + 1);

    private sealed record Stored(
        [property: JsonPropertyName("alpha")] double Alpha,
        [property: JsonPropertyName("zeros")] long Zeros,
        [property: JsonPropertyName("positive")] SortedDictionary<int, long> Positive,
        [property: JsonPropertyName("negative")] SortedDictionary<int, long> Negative);

    private static readonly JsonSerializerOptions StoredOptions = new() { RespectRequiredConstructorParameters = true };
}
