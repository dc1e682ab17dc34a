using Leaderboard.Api.Ranking;
using Leaderboard.Api.Telemetry;
using Microsoft.AspNetCore.Diagnostics;

namespace Leaderboard.Api.Http;

/// <summary>A read the index cannot serve is 503 with Retry-After, not 500: scores are safe in PostgreSQL.</summary>
internal sealed class IndexUnavailableExceptionHandler(IProblemDetailsService problemDetails, LeaderboardMetrics metrics) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not IndexUnavailableException)
        {
            return false;
        }

        metrics.IndexUnavailable("read");
        return await UnavailableProblem.WriteAsync(
            problemDetails,
            httpContext,
            exception,
            retryAfterSeconds: "1",
            title: "Ranking index unavailable",
            detail: $"{exception.Message} Scores are stored durably; retry shortly.");
    }
}
