using System.Text.RegularExpressions;

namespace Leaderboard.Api.Model;

/// <summary>Board and player ids: 1 to 128 characters of letters, digits and <c>_ . : -</c>.</summary>
internal static partial class Identifiers
{
    public const int MaxLength = 128;

    public static bool IsValid(string? id) => id is not null && ValidId().IsMatch(id);

    [GeneratedRegex(@"^[A-Za-z0-9_.:\-]{1,128}$")]
    private static partial Regex ValidId();
}
