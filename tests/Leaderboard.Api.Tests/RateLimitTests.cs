using System.Net;

namespace Leaderboard.Api.Tests;

/// <summary>The API with a limit of 5 requests per second per key.</summary>
public sealed class RateLimitedDataStoresFixture : DataStoresFixture
{
    protected override int RequestsPerSecond => 5;
}

public sealed class RateLimitTests(RateLimitedDataStoresFixture stores) : IClassFixture<RateLimitedDataStoresFixture>
{
    [Fact]
    public async Task AKeyOverItsRateGets429WithRetryAfterWhileOtherKeysGoOn()
    {
        using var server = stores.Client(DataStoresFixture.ServerKey);
        using var admin = stores.Client(DataStoresFixture.AdminKey);

        var responses = new List<HttpResponseMessage>();
        for (var i = 0; i < 12; i++)
        {
            responses.Add(await server.GetAsync("/api/leaderboards", LeaderboardClient.Cancellation));
        }

        var limited = responses.Where(response => response.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(limited);
        Assert.All(limited, response => Assert.True(response.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1)));
        Assert.Equal("application/problem+json", limited[0].Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/leaderboards", LeaderboardClient.Cancellation)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.GetAsync("/health", LeaderboardClient.Cancellation)).StatusCode);
    }
}
