using System.Globalization;
using System.Text.RegularExpressions;
using Stack.Dspy.Evaluation;

namespace Leaderboard.Recaps;

/// <summary>
/// The recap metric, and the gate before publishing: the headline and one to three highlights are
/// there and within their lengths, every number in the text is one of the digest's (as written, or
/// rounded to the decimals written), and every player (<c>@id</c>) is one the digest names. A recap
/// that fails any check is never published.
/// </summary>
public sealed partial class RecapFaithfulness : IMetric<PeriodDigest, Recap>
{
    public const int MaxHeadline = 100;
    public const int MaxHighlight = 160;
    public const int MaxHighlights = 3;

    // Headline present, its length, highlight count, highlight lengths, numbers, players.
    private const int Checks = 6;

    public string Name => "recap-faithfulness";

    public MetricResult Judge(Example<PeriodDigest, Recap> example, Recap output)
    {
        ArgumentNullException.ThrowIfNull(example);
        ArgumentNullException.ThrowIfNull(output);
        return Judge(example.Input, output);
    }

    public MetricResult Judge(PeriodDigest digest, Recap recap)
    {
        ArgumentNullException.ThrowIfNull(digest);
        ArgumentNullException.ThrowIfNull(recap);
        var failures = new List<string>();
        var highlights = recap.Highlights ?? [];
        if (string.IsNullOrWhiteSpace(recap.Headline))
        {
            failures.Add("The headline is empty.");
        }

        if (recap.Headline?.Length > MaxHeadline)
        {
            failures.Add($"The headline has {recap.Headline.Length} characters, more than {MaxHeadline}.");
        }

        if (highlights.Count is < 1 or > MaxHighlights)
        {
            failures.Add($"There are {highlights.Count} highlights, not 1 to {MaxHighlights}.");
        }

        if (highlights.Any(h => string.IsNullOrWhiteSpace(h) || h.Length > MaxHighlight))
        {
            failures.Add($"A highlight is empty or longer than {MaxHighlight} characters.");
        }

        var text = string.Join("\n", [recap.Headline ?? string.Empty, .. highlights]);
        var players = digest.NewLeaders.Concat(digest.Climbers.Select(c => c.Player)).Append(digest.Leader).ToHashSet(StringComparer.Ordinal);
        var unknownPlayers = PlayerMention().Matches(text).Select(m => m.Groups["id"].Value.TrimEnd('.', ':', '-')).Where(p => !players.Contains(p)).Distinct().ToList();
        if (unknownPlayers.Count > 0)
        {
            failures.Add($"Players not in the statistics: {string.Join(", ", unknownPlayers)}.");
        }

        // Ids may hold digits (season-2, 20261126T000000Z): they are names, not numbers.
        var prose = PlayerMention().Replace(text, " ").Replace(digest.Board, " ", StringComparison.Ordinal).Replace(digest.Period, " ", StringComparison.Ordinal);
        var inventedNumbers = NumberMention().Matches(prose)
            .Select(m => m.Value)
            .Where(written => !IsOneOf(written, NumbersOf(digest)))
            .Distinct()
            .ToList();
        if (inventedNumbers.Count > 0)
        {
            failures.Add($"Numbers not in the statistics: {string.Join(", ", inventedNumbers)}.");
        }

        return MetricResult.Of(Checks, failures);
    }

    private static IEnumerable<decimal> NumbersOf(PeriodDigest digest) =>
        new[] { digest.Entries, digest.MinScore, digest.MaxScore, digest.LeaderScore }.Select(n => (decimal)n)
            .Concat(new[] { digest.SubmissionsPerMinute, digest.MeanScore, digest.P50, digest.P90, digest.P99 }.Select(n => (decimal)n))
            .Concat(digest.Climbers.Select(c => (decimal)c.Positions));

    /// <summary>
    /// Whether <paramref name="written"/> (thousands separators allowed) is one of <paramref name="facts"/>,
    /// exactly or rounded to the decimals it was written with: "1234.6" and "1,235" are both 1234.56.
    /// </summary>
    private static bool IsOneOf(string written, IEnumerable<decimal> facts)
    {
        var plain = written.Replace(",", string.Empty, StringComparison.Ordinal);
        if (!decimal.TryParse(plain, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
        {
            return false;
        }

        var decimals = plain.Contains('.', StringComparison.Ordinal) ? plain.Length - plain.IndexOf('.', StringComparison.Ordinal) - 1 : 0;
        return facts.Any(fact => fact == value || Math.Round(fact, decimals, MidpointRounding.AwayFromZero) == value);
    }

    // A player is written @id (ids are letters, digits and _ . : -).
    [GeneratedRegex(@"@(?<id>[A-Za-z0-9_.:\-]+)")]
    private static partial Regex PlayerMention();

    // A number standing alone: not part of a word such as p90 or 3rd, thousands separators allowed.
    [GeneratedRegex(@"(?<![\w.])-?\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\w])|(?<![\w.,])-?\d+(?:\.\d+)?(?![\w])")]
    private static partial Regex NumberMention();
}
