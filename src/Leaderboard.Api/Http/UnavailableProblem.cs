namespace Leaderboard.Api.Http;

/// <summary>The one shape of "a data store is away": 503 with Retry-After and a ProblemDetails naming which.</summary>
internal static class UnavailableProblem
{
    public static ValueTask<bool> WriteAsync(IProblemDetailsService problemDetails, HttpContext httpContext, Exception exception, string retryAfterSeconds, string title, string detail)
    {
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = retryAfterSeconds;
        return problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails =
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = title,
                Detail = detail,
            },
        });
    }
}
