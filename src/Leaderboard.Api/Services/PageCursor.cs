using System.Buffers.Text;
using System.Text;

namespace Leaderboard.Api.Services;

/// <summary>
/// The opaque <c>cursor</c> of paged reads: the board, period and last member of the previous page,
/// so the next page starts strictly after it (keyset paging: no entry is served twice).
/// </summary>
internal static class PageCursor
{
    public static string Encode(IndexKeys keys, string lastMember) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{keys.BoardId}\n{keys.PeriodId}\n{lastMember}"));

    /// <summary>The member a cursor continues after, when it was handed out for the same board and period.</summary>
    public static bool TryDecode(string cursor, IndexKeys keys, out string lastMember)
    {
        lastMember = string.Empty;
        try
        {
            var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor)).Split('\n', 3);
            if (parts.Length != 3 || parts[0] != keys.BoardId || parts[1] != keys.PeriodId || parts[2].Length <= RankKey.PrefixLength)
            {
                return false;
            }

            lastMember = parts[2];
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
