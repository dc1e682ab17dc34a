using Microsoft.AspNetCore.Http.Features;

namespace Leaderboard.Api.Http;

/// <summary>
/// Bodies over 16 KB are refused with 413 ProblemDetails: at once when Content-Length says so,
/// and by the server while reading a chunked body (see <see cref="BadRequestExceptionHandler"/>).
/// </summary>
public static class RequestBodyLimit
{
    public const long MaxBytes = 16 * 1024;

    public static IApplicationBuilder UseRequestBodyLimit(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBytes;
        }

        if (context.Request.ContentLength > MaxBytes)
        {
            await TypedResults.Problem(
                    statusCode: StatusCodes.Status413PayloadTooLarge,
                    title: "Request body too large",
                    detail: $"Request bodies may be at most {MaxBytes} bytes.")
                .ExecuteAsync(context);
            return;
        }

        await next(context);
    });
}
