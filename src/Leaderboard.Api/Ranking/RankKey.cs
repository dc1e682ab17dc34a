using System.Globalization;
using Leaderboard.Api.Model;

namespace Leaderboard.Api.Ranking;

/// <summary>
/// Encodes a record as a sorted-set member whose byte order is the ranking order, so Redis ranks
/// exactly at any size. A double score (Redis' own) holds only one 53-bit integer; we need
/// score, subscore and submission order, so every member gets score 0 and Redis orders equal
/// scores by member bytes. Layout: 14 hex digits of score, 14 of subscore (each mapped so the
/// better value sorts first), 16 of the change sequence (earlier first), then the player id.
/// </summary>
internal static class RankKey
{
    public const int ScoreDigits = 14;
    public const int SequenceDigits = 16;
    public const int PrefixLength = ScoreDigits + ScoreDigits + SequenceDigits;

    /// <summary>1-based position (Lua's string.sub) where the change sequence starts in a member.</summary>
    public const int SequenceStart = ScoreDigits + ScoreDigits + 1;

    public static string Encode(SortOrder order, ScoreRecord record) =>
        string.Concat(
            EncodeValue(order, record.Score),
            EncodeValue(order, record.Subscore),
            record.ChangeSeq.ToString("x16", CultureInfo.InvariantCulture),
            record.PlayerId);

    public static (string PlayerId, long Score, long Subscore) Decode(SortOrder order, string member) =>
        (member[PrefixLength..],
         DecodeValue(order, member.AsSpan(0, ScoreDigits)),
         DecodeValue(order, member.AsSpan(ScoreDigits, ScoreDigits)));

    // Shift into 0..2^54-2 so the order of the hex text is the numeric order; descending boards
    // mirror it so the best value still sorts first.
    private static string EncodeValue(SortOrder order, long value)
    {
        var shifted = value - ScoreRange.Min;
        var ranked = order == SortOrder.Descending ? (ScoreRange.Max - ScoreRange.Min) - shifted : shifted;
        return ranked.ToString("x14", CultureInfo.InvariantCulture);
    }

    private static long DecodeValue(SortOrder order, ReadOnlySpan<char> hex)
    {
        var ranked = long.Parse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
        var shifted = order == SortOrder.Descending ? (ScoreRange.Max - ScoreRange.Min) - ranked : ranked;
        return shifted + ScoreRange.Min;
    }
}
