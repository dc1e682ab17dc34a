using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Leaderboard.Api.Http;

/// <summary>
/// Rate limits on <c>/api</c>, partitioned only after the key is verified: the admin key and the
/// server key each have one bucket with their role's limit (<see cref="RateLimitOptions"/>);
/// everyone else, with no key or a key that is not valid, shares the anonymous limit of their client
/// address. A made-up key therefore buys nothing: it is counted against the sender's address.
/// One-second windows per replica; beyond them, 429 with Retry-After. Health probes and the page
/// are not limited.
/// </summary>
public static class ApiRateLimiting
{
    public static IServiceCollection AddApiRateLimiting(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>()
            .BindConfiguration(RateLimitOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        return services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                if (!context.Request.Path.StartsWithSegments("/api"))
                {
                    return RateLimitPartition.GetNoLimiter("unlimited");
                }

                var limits = context.RequestServices.GetRequiredService<IOptionsMonitor<RateLimitOptions>>().CurrentValue;
                var keys = context.RequestServices.GetRequiredService<IOptionsMonitor<ApiKeyOptions>>().CurrentValue;
                var (partition, permits) = ApiKeyAuthorization.RoleOf(context.Request.Headers[ApiKeyAuthorization.HeaderName].ToString(), keys) switch
                {
                    ApiKeyRole.Admin => ("admin", limits.Admin),
                    ApiKeyRole.Server => ("server", limits.Server),
                    // The address after forwarded headers: the player's, when a trusted proxy named it.
                    _ => ("anonymous:" + context.Connection.RemoteIpAddress, limits.Anonymous),
                };

                return RateLimitPartition.GetFixedWindowLimiter(partition, _ => new FixedWindowRateLimiterOptions
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
                        detail: "Over the request rate of this key (or, without a valid key, of this client address); retry after the time in Retry-After.")
                    .ExecuteAsync(context.HttpContext);
            };
        });
    }
}
