using System.Text.Json;

namespace Leaderboard.Stats.Sketches;

/// <summary>
/// An exact histogram of scores in 1-2-5 bins: 0, then by magnitude 1, 2–4, 5–9, 10–19, 20–49,
/// 50–99, 100–199…, mirrored for negative scores. Bins are fixed in advance, so a board of any size
/// and range needs at most ~110 of them, and counts are exact: adding and removing only move
/// integers. Counts are signed, so an addition and the removal that cancels it commute (see
/// <see cref="QuantileSketch.Remove"/>).
/// </summary>
public sealed class ScoreHistogram
{
    // Keyed by the bin's lowest magnitude, signed: -5 is the bin -9..-5.
    private readonly SortedDictionary<long, long> _counts = [];

    public void Add(long score) => Move(score, +1);

    public void Remove(long score) => Move(score, -1);

    /// <summary>The bins holding values, lowest scores first: inclusive bounds and the count.</summary>
    public IEnumerable<HistogramBin> Bins() => Stored().Where(bin => bin.Count > 0);

    /// <summary>
    /// Every bin with a count as JSON, <c>[{"from":…,"to":…,"count":…}]</c>, lowest scores first (so
    /// the same counts give the same text). A count below zero is a removal whose addition is still
    /// to come; readers show only bins above zero.
    /// </summary>
    public string ToJson() => JsonSerializer.Serialize(Stored(), JsonSerializerOptions.Web);

    public static ScoreHistogram FromJson(string json)
    {
        var histogram = new ScoreHistogram();
        foreach (var bin in JsonSerializer.Deserialize<List<HistogramBin>>(json, JsonSerializerOptions.Web) ?? throw new FormatException("The histogram is null."))
        {
            var key = bin.From >= 0 ? bin.From : bin.To;
            histogram._counts[key] = key == BinOf(key) && Bounds(key) == (bin.From, bin.To) && bin.Count != 0
                ? bin.Count
                : throw new FormatException($"{bin} is not a histogram bin with a count.");
        }

        return histogram;
    }

    /// <summary>The bin of a score: its lowest magnitude, with the score's sign.</summary>
    public static long BinOf(long score)
    {
        if (score == 0)
        {
            return 0;
        }

        // Scores are within ±(2^53 − 1), so no magnitude below overflows.
        var magnitude = Math.Abs(score);
        var decade = 1L;
        while (decade <= magnitude / 10)
        {
            decade *= 10;
        }

        var lowest = magnitude >= 5 * decade ? 5 * decade : magnitude >= 2 * decade ? 2 * decade : decade;
        return Math.Sign(score) * lowest;
    }

    private IEnumerable<HistogramBin> Stored() =>
        _counts.Select(bin =>
        {
            var (from, to) = Bounds(bin.Key);
            return new HistogramBin(from, to, bin.Value);
        }).OrderBy(bin => bin.From);

    // A bin's scores, from its key: 0 alone, or the magnitudes lowest..last with the key's sign.
    private static (long From, long To) Bounds(long key) => key switch
    {
        0 => (0, 0),
        > 0 => (key, LastOf(key)),
        _ => (-LastOf(-key), key),
    };

    // The highest magnitude of the bin starting at lowest: the next bin's start, less one.
    private static long LastOf(long lowest)
    {
        var decade = 1L;
        while (decade <= lowest / 10)
        {
            decade *= 10;
        }

        return (lowest == decade ? 2 * decade : lowest == 2 * decade ? 5 * decade : 10 * decade) - 1;
    }

    private void Move(long score, long by)
    {
        var bin = BinOf(score);
        var count = _counts.GetValueOrDefault(bin) + by;
        if (count == 0)
        {
            _counts.Remove(bin);
        }
        else
        {
            _counts[bin] = count;
        }
    }
}

/// <summary>One bin of a score histogram: scores From..To, both included, and how many records hold one.</summary>
public sealed record HistogramBin(long From, long To, long Count);
