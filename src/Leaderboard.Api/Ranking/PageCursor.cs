using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Leaderboard.Api.Ranking;

/// <summary>
/// The opaque <c>cursor</c> of paged reads: the board and period, the paging snapshot, and where
/// the previous page ended (its last rank and rank-ordered position).
/// </summary>
internal static class PageCursor
{
    public static string Encode(IndexKeys keys, PagePosition position) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(string.Join('\n',
            keys.BoardId,
            keys.PeriodId,
            position.Snapshot.ToString(CultureInfo.InvariantCulture),
            position.LastRank.ToString(CultureInfo.InvariantCulture),
            Base64Url.EncodeToString(position.LastPrefix))));

    /// <summary>Where the next page starts, when the cursor was handed out for the same board and period.</summary>
    public static bool TryDecode(string cursor, IndexKeys keys, out PagePosition? position)
    {
        position = null;
        try
        {
            var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor)).Split('\n');
            if (parts.Length != 5
                || parts[0] != keys.BoardId
                || parts[1] != keys.PeriodId
                || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var snapshot)
                || !long.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var lastRank))
            {
                return false;
            }

            var prefix = Base64Url.DecodeFromChars(parts[4]);
            if (RankKey.PrefixLength(prefix) != prefix.Length)
            {
                return false;
            }

            position = new PagePosition(snapshot, lastRank, prefix);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
