using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Leaderboard.Api.Http;

/// <summary>
/// Checks <c>X-Api-Key</c> on a route group: no key or an unknown key is 401, the server key on
/// an admin route is 403. Keys are compared in constant time and never logged.
/// </summary>
public static class ApiKeyAuthorization
{
    public const string HeaderName = "X-Api-Key";

    /// <summary>Requires a key of at least <paramref name="role"/> on every endpoint of <paramref name="builder"/>.</summary>
    public static TBuilder RequireApiKey<TBuilder>(this TBuilder builder, ApiKeyRole role) where TBuilder : IEndpointConventionBuilder
    {
        builder.AddEndpointFilter(async (context, next) =>
        {
            var options = context.HttpContext.RequestServices.GetRequiredService<IOptionsMonitor<ApiKeyOptions>>().CurrentValue;
            return Authorize(context.HttpContext.Request.Headers[HeaderName].ToString(), options, role) ?? await next(context);
        });
        return builder;
    }

    /// <summary>The role a presented key carries, or null for none; used for rate-limit partitions too.</summary>
    public static ApiKeyRole? RoleOf(string presented, ApiKeyOptions options) =>
        presented.Length == 0 ? null
        : Matches(presented, options.AdminKey) ? ApiKeyRole.Admin
        : Matches(presented, options.ServerKey) ? ApiKeyRole.Server
        : null;

    private static IResult? Authorize(string presented, ApiKeyOptions options, ApiKeyRole required)
    {
        if (presented.Length == 0)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "API key required", detail: $"Send the {required.ToString().ToLowerInvariant()} key in the {HeaderName} header.");
        }

        return RoleOf(presented, options) switch
        {
            null => TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unknown API key", detail: $"The {HeaderName} header does not hold a valid key."),
            ApiKeyRole.Server when required == ApiKeyRole.Admin => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Admin key required", detail: "This route changes boards or moderates players; the server key may not."),
            _ => null,
        };
    }

    // Hashing first gives equal lengths, so the comparison time says nothing about the key.
    private static bool Matches(string presented, string expected) =>
        expected.Length > 0
        && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
