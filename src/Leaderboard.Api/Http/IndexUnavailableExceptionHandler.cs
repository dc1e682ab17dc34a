using Leaderboard.Api.Ranking;
using Microsoft.AspNetCore.Diagnostics;

namespace Leaderboard.Api.Http;

/// <summary>A read the index cannot serve is 503 with Retry-After, not 500: scores are safe in PostgreSQL.</summary>
internal sealed class IndexUnavailableExceptionHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not IndexUnavailableException)
        {
            return false;
        }

        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = "1";
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails =
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Ranking index unavailable",
                Detail = $"{exception.Message} Scores are stored durably; retry shortly.",
            },
        });
    }
}
