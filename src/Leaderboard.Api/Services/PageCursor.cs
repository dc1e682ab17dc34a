using System.Buffers.Text;
using System.Text;

namespace Leaderboard.Api.Services;

/// <summary>
/// The opaque <c>cursor</c> of paged reads: the period and the last member of the previous page,
/// so the next page starts strictly after it (keyset paging: no entry is served twice).
/// </summary>
internal static class PageCursor
{
    public static string Encode(string periodId, string lastMember) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{periodId}\n{lastMember}"));

    public static bool TryDecode(string cursor, string periodId, out string lastMember)
    {
        lastMember = string.Empty;
        try
        {
            var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor)).Split('\n', 2);
            if (parts.Length != 2 || parts[0] != periodId || parts[1].Length <= RankKey.PrefixLength)
            {
                return false;
            }

            lastMember = parts[1];
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
