using Leaderboard.Api.Data;
using Leaderboard.Api.Model;
using Leaderboard.Api.Ranking;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Leaderboard.Api.Http;

/// <summary>Public reads of a board period's pre-aggregated stats; <c>period</c> reads an archived period.</summary>
public static class StatsApi
{
    public static RouteGroupBuilder MapStatsApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);

        var reads = app.MapGroup("/api/leaderboards/{boardId}").WithTags("Stats").RequireStorableText();
        reads.MapGet("/stats", GetStats).WithName("GetStats").WithSummary("The period's stats as the stats worker last aggregated them: entries, changes, min, max, mean, p50, p90, p99.");
        return reads;
    }

    internal static async Task<Results<Ok<PeriodStatsResponse>, ProblemHttpResult>> GetStats(
        string boardId, string? period, LeaderboardReader reader, StatsStore stats, CancellationToken cancellationToken)
    {
        var (target, missing) = await reader.ResolveAsync(boardId, period, cancellationToken);
        if (target is null)
        {
            return missing == "period"
                ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Period not found", detail: $"Board '{boardId}' has no period '{period}'.")
                : BoardsApi.BoardNotFound(boardId);
        }

        return TypedResults.Ok(await stats.GetAsync(boardId, target.PeriodId, cancellationToken));
    }
}
