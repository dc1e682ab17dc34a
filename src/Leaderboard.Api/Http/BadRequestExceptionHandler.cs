using Microsoft.AspNetCore.Diagnostics;

namespace Leaderboard.Api.Http;

/// <summary>
/// Turns the framework's own bad-request failures (malformed JSON, a query value of the wrong
/// type, a body over the size limit) into ProblemDetails with their real 4xx status. Without it,
/// Development mode rethrows them and the generic exception handler answers 500.
/// </summary>
internal sealed class BadRequestExceptionHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException badRequest)
        {
            return false;
        }

        httpContext.Response.StatusCode = badRequest.StatusCode;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails =
            {
                Status = badRequest.StatusCode,
                Title = badRequest.StatusCode == StatusCodes.Status413PayloadTooLarge ? "Request body too large" : "Malformed request",
                Detail = DescribeWithoutInternals(badRequest),
            },
        });
    }

    // The framework's message names the parameter and the problem; the inner JSON exception
    // would add our type names and line offsets, which help nobody calling the API.
    private static string DescribeWithoutInternals(BadHttpRequestException exception) =>
        exception.InnerException is System.Text.Json.JsonException
            ? "The request body is not valid JSON."
            : exception.Message;
}
