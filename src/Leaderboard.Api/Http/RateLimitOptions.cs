using System.ComponentModel.DataAnnotations;

namespace Leaderboard.Api.Http;

/// <summary>
/// Requests per second on <c>/api</c>, per replica, by who is asking (<c>Leaderboard:RateLimits</c>,
/// env <c>Leaderboard__RateLimits__Server</c> and so on). Beyond it: 429 with Retry-After.
/// </summary>
public sealed class RateLimitOptions
{
    public const string Section = "Leaderboard:RateLimits";

    /// <summary>
    /// Each client address without a valid key (players reading boards). The address is the one
    /// the trusted proxies forwarded (see <see cref="TrustedProxies"/>).
    /// </summary>
    [Range(1, 1_000_000)]
    public int Anonymous { get; set; } = 20;

    /// <summary>
    /// The server key, shared by a whole game-server fleet: above what one replica can serve, so a
    /// fleet is held back by the service's own throughput, never by this limit.
    /// </summary>
    [Range(1, 1_000_000)]
    public int Server { get; set; } = 10_000;

    /// <summary>The admin key (operators and tooling; it may also submit scores).</summary>
    [Range(1, 1_000_000)]
    public int Admin { get; set; } = 1_000;
}
