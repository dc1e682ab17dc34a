using Scalar.AspNetCore;

namespace Leaderboard.Api.Http;

/// <summary>
/// The middleware in front of the endpoints, in the order <c>Program.cs</c> calls it: the guards
/// first (so their refusals are ProblemDetails too), then the API reference, then the live page.
/// </summary>
public static class RequestPipelineExtensions
{
    /// <summary>
    /// Client addresses come from trusted proxies only (see <see cref="TrustedProxies"/>); errors become ProblemDetails (exception handlers, bare status codes); bodies over
    /// <see cref="RequestBodyLimit.MaxBytes"/> are 413; each key is rate limited (see <see cref="ApiRateLimiting"/>).
    /// </summary>
    public static WebApplication UseRequestGuards(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);

        app.UseForwardedHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRequestBodyLimit();
        app.UseRateLimiter();
        return app;
    }

    /// <summary>The OpenAPI document at <c>/openapi/v1.json</c>; the interactive reference (Scalar) at <c>/scalar/v1</c> in Development only.</summary>
    public static WebApplication MapApiReference(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);

        app.MapOpenApi();
        if (app.Environment.IsDevelopment())
        {
            app.MapScalarApiReference();
        }

        return app;
    }

    /// <summary>The live page (<c>wwwroot/</c>) at <c>/</c>.</summary>
    public static WebApplication UseLivePage(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);

        app.UseDefaultFiles();
        app.UseStaticFiles();
        return app;
    }
}
