using System.Globalization;

namespace Leaderboard.Api.Model;

/// <summary>A span of a board's life; scores rank within one period.</summary>
public sealed record Period(string Id, DateTimeOffset StartsAt, DateTimeOffset? EndsAt)
{
    /// <summary>The one period of a board without a reset schedule.</summary>
    public const string EverlastingId = "all-time";

    /// <summary>A scheduled period is named by its start, e.g. <c>20261126T000000Z</c> (sortable, id-safe).</summary>
    public static string IdFor(DateTimeOffset start) =>
        start.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
}
