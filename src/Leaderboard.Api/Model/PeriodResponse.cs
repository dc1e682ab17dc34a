namespace Leaderboard.Api.Model;

/// <summary>One period of a board: scores are ranked per period; archived periods never change.</summary>
/// <param name="PeriodId">The id to pass as <c>period</c> on reads.</param>
/// <param name="StartsAt">When the period began (UTC).</param>
/// <param name="EndsAt">When it ends or ended; null for a board without resets.</param>
/// <param name="Current">Whether submissions go to this period now.</param>
public sealed record PeriodResponse(string PeriodId, DateTimeOffset StartsAt, DateTimeOffset? EndsAt, bool Current);
