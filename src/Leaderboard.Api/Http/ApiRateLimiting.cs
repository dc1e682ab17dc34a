using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Leaderboard.Api.Http;

/// <summary>
/// Per-key rate limits on <c>/api</c>: each API key (or, without one, each client address) gets
/// <see cref="ApiKeyOptions.RequestsPerSecond"/> per one-second window; beyond it, 429 with
/// Retry-After. Health probes and the page are not limited.
/// </summary>
public static class ApiRateLimiting
{
    public static IServiceCollection AddApiRateLimiting(this IServiceCollection services) => services.AddRateLimiter(options =>
    {
        options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
        {
            if (!context.Request.Path.StartsWithSegments("/api"))
            {
                return RateLimitPartition.GetNoLimiter("unlimited");
            }

            var permits = context.RequestServices.GetRequiredService<IOptionsMonitor<ApiKeyOptions>>().CurrentValue.RequestsPerSecond;
            return RateLimitPartition.GetFixedWindowLimiter(PartitionOf(context), _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = permits,
                Window = TimeSpan.FromSeconds(1),
                QueueLimit = 0,
            });
        });

        options.OnRejected = async (context, cancellationToken) =>
        {
            var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
            context.HttpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            await TypedResults.Problem(
                    statusCode: StatusCodes.Status429TooManyRequests,
                    title: "Too many requests",
                    detail: "This key is over its request rate; retry after the time in Retry-After.")
                .ExecuteAsync(context.HttpContext);
        };
    });

    // The partition is a hash of the key: the limiter keeps partitions in memory, never the key itself.
    private static string PartitionOf(HttpContext context) =>
        context.Request.Headers[ApiKeyAuthorization.HeaderName].ToString() is { Length: > 0 } key
            ? "key:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..16]
            : "address:" + context.Connection.RemoteIpAddress;
}
