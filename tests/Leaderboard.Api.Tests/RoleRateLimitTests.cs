using System.Net;
using Microsoft.AspNetCore.Hosting;

namespace Leaderboard.Api.Tests;

/// <summary>Through Kestrel from loopback (a trusted proxy by default): anonymous 5/s, server 1,000/s, admin 1,000/s.</summary>
public sealed class RoleRateLimitFixture : KestrelApiFixture
{
    public const int AnonymousLimit = 5;

    protected override void ConfigureKestrelApi(IWebHostBuilder web) => web
        .UseSetting("Leaderboard:RateLimits:Anonymous", AnonymousLimit.ToString(System.Globalization.CultureInfo.InvariantCulture))
        .UseSetting("Leaderboard:RateLimits:Server", "1000")
        .UseSetting("Leaderboard:RateLimits:Admin", "1000");
}

public sealed class RoleRateLimitTests(RoleRateLimitFixture stores) : IClassFixture<RoleRateLimitFixture>
{
    private const int Burst = 6 * RoleRateLimitFixture.AnonymousLimit;

    private static CancellationToken Cancellation => LeaderboardClient.Cancellation;

    [Fact]
    public async Task AMadeUpKeyPerRequestIsCountedAgainstTheSendersAddress()
    {
        using var client = stores.KestrelClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < Burst; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/leaderboards");
            request.Headers.Add("X-Api-Key", $"made-up-key-{Guid.NewGuid():N}");
            request.Headers.Add("X-Forwarded-For", "198.51.100.7");
            statuses.Add((await client.SendAsync(request, Cancellation)).StatusCode);
        }

        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        Assert.DoesNotContain(HttpStatusCode.Unauthorized, statuses);
    }

    [Fact]
    public async Task ReadersBehindATrustedProxyAreLimitedByTheirForwardedAddressEach()
    {
        using var client = stores.KestrelClient();

        var first = await ReadManyAsync(client, "198.51.100.1", Burst);
        var second = await ReadManyAsync(client, "198.51.100.2", 1);

        Assert.Contains(HttpStatusCode.TooManyRequests, first);
        Assert.Equal([HttpStatusCode.OK], second);
    }

    [Fact]
    public async Task ForwardedAddressesFromAnUntrustedPeerAreIgnored()
    {
        // Loopback is not trusted here: the forwarded addresses are the client's own claims.
        await using var untrusting = stores.Api.WithWebHostBuilder(web => web
            .UseSetting("Leaderboard:TrustedProxies", "10.0.0.0/8")
            .UseSetting("Leaderboard:RateLimits:Anonymous", RoleRateLimitFixture.AnonymousLimit.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        untrusting.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        untrusting.StartServer();
        using var client = untrusting.CreateClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < Burst; i++)
        {
            statuses.AddRange(await ReadManyAsync(client, $"198.51.100.{i + 10}", 1));
        }

        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
    }

    [Fact]
    public async Task TheServerKeyHasItsRolesLimitNotTheAnonymousOne()
    {
        using var server = stores.KestrelClient(DataStoresFixture.ServerKey);
        using var admin = stores.KestrelClient(DataStoresFixture.AdminKey);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < Burst; i++)
        {
            statuses.Add((await server.GetAsync("/api/leaderboards", Cancellation)).StatusCode);
            statuses.Add((await admin.GetAsync("/api/leaderboards", Cancellation)).StatusCode);
        }

        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.OK, status));
    }

    private static async Task<List<HttpStatusCode>> ReadManyAsync(HttpClient client, string forwardedFor, int count)
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < count; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/leaderboards");
            request.Headers.Add("X-Forwarded-For", forwardedFor);
            statuses.Add((await client.SendAsync(request, Cancellation)).StatusCode);
        }

        return statuses;
    }
}
