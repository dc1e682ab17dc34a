using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using StackExchange.Redis;

namespace Leaderboard.Api.Tests;

/// <summary>
/// Npgsql gives up after 3 s to connect and 5 s per command, so a test can outlast its timeouts.
/// Redis' own timeout is far longer instead, so a test can stall Redis for less than it and know
/// that nothing but the service's write budget gives up on a write meanwhile.
/// </summary>
public sealed class OutageFixture : KestrelApiFixture
{
    public static readonly TimeSpan RedisTimeout = TimeSpan.FromMinutes(2);

    protected override void ConfigureKestrelApi(IWebHostBuilder web) => web
        .UseSetting("ConnectionStrings:leaderboard-db", DatabaseConnectionString + ";Timeout=3;Command Timeout=5")
        .UseSetting("ConnectionStrings:cache", FormattableString.Invariant(
            $"{CacheConnectionString},syncTimeout={RedisTimeout.TotalMilliseconds},asyncTimeout={RedisTimeout.TotalMilliseconds}"));
}

public sealed class OutageTests(OutageFixture stores) : IClassFixture<OutageFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    // Far longer than the write budget, and shorter than Redis' own timeout (OutageFixture).
    private static readonly TimeSpan RedisStall = OutageFixture.RedisTimeout / 2;

    private readonly HttpClient _server = stores.KestrelClient(DataStoresFixture.ServerKey);
    private readonly HttpClient _reader = stores.KestrelClient();

    private static CancellationToken Cancellation => LeaderboardClient.Cancellation;

    [Fact]
    public async Task WhilePostgresIsDownPastTheTimeoutsEveryCallIs503WithRetryAfterAndNothingIsAcknowledged()
    {
        var board = await new LeaderboardClient(stores).CreateBoardAsync();
        var commands = stores.DataStores.Services.GetRequiredService<ResourceCommandService>();

        await commands.ExecuteCommandAsync("postgres", KnownResourceCommands.StopCommand, Cancellation).WaitAsync(Patience, Cancellation);
        await stores.DataStores.ResourceNotifications.WaitForResourceAsync("postgres", update => KnownResourceStates.TerminalStates.Contains(update.Snapshot.State?.Text), Cancellation).WaitAsync(Patience, Cancellation);
        try
        {
            var started = Stopwatch.StartNew();
            var answers = new List<HttpResponseMessage>();
            while (started.Elapsed < TimeSpan.FromSeconds(12))
            {
                answers.Add(await SubmitAsync(_server, board, "during", "key-during"));
                answers.Add(await _reader.GetAsync($"/api/leaderboards/{board}/top", Cancellation));
                answers.Add(await _reader.GetAsync($"/api/leaderboards/{board}", Cancellation));
            }

            Assert.All(answers, answer =>
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, answer.StatusCode);
                Assert.Equal(TimeSpan.FromSeconds(2), answer.Headers.RetryAfter?.Delta);
                Assert.Equal("application/problem+json", answer.Content.Headers.ContentType?.MediaType);
            });
        }
        finally
        {
            await commands.ExecuteCommandAsync("postgres", KnownResourceCommands.StartCommand, Cancellation).WaitAsync(Patience, Cancellation);
            await stores.DataStores.ResourceNotifications.WaitForResourceHealthyAsync("leaderboard-db", Cancellation).WaitAsync(Patience, Cancellation);

            // The fixture's other API (the in-memory one) pooled connections before the restart and
            // saw no request since: each is dead and would fail one later request of another test.
            stores.Api.Services.GetRequiredService<NpgsqlDataSource>().Clear();
        }

        // Retried with the same key once PostgreSQL is back, the score is applied once.
        var retried = await EventuallyAsync(async () => await SubmitAsync(_server, board, "during", "key-during") is { StatusCode: HttpStatusCode.OK } ok ? ok : null);
        var again = await SubmitAsync(_server, board, "during", "key-during");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var entry = await _reader.GetFromJsonAsync<JsonElement>($"/api/leaderboards/{board}/players/during", Cancellation);
        Assert.Equal(7, entry.GetProperty("score").GetInt64());
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
    }

    [Fact]
    public async Task AStalledRedisHoldsAWriteNoLongerThanTheBudgetAndTheIndexCatchesUp()
    {
        // The premise: Redis' own timeout cannot end a wait during the stall below.
        var multiplexer = stores.KestrelApi.Services.GetRequiredService<IConnectionMultiplexer>();
        Assert.True(ConfigurationOptions.Parse(multiplexer.Configuration).AsyncTimeout > RedisStall.TotalMilliseconds);

        var board = await new LeaderboardClient(stores).CreateBoardAsync(new { @operator = "increment" });
        Assert.Equal(HttpStatusCode.OK, (await SubmitAsync(_server, board, "before", null)).StatusCode);

        await using var redis = await stores.ConnectRedisAsync();
        var redisServer = redis.GetServers()[0];
        // The real server stops answering writes (scripts included): stalled, not dead.
        await redisServer.ExecuteAsync("CLIENT", "PAUSE", RedisStall.TotalMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture), "WRITE");
        JsonElement[] stalled;
        try
        {
            var answers = new List<JsonElement>();
            for (var i = 0; i < 3; i++)
            {
                var response = await SubmitAsync(_server, board, "during", null);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                answers.Add(await response.Content.ReadFromJsonAsync<JsonElement>(Cancellation));
            }

            stalled = [.. answers];
        }
        finally
        {
            await redisServer.ExecuteAsync("CLIENT", "UNPAUSE");
        }

        // Redis neither answered nor gave up while paused, so a write answered without a rank was let
        // go by the write budget; a write that waited for Redis instead would have had its rank once
        // the stall ended.
        Assert.All(stalled, answer => Assert.Equal(JsonValueKind.Null, answer.GetProperty("rank").ValueKind));
        Assert.Equal([7, 14, 21], stalled.Select(answer => answer.GetProperty("score").GetInt64()));

        var top = await EventuallyAsync(async () =>
        {
            var response = await _reader.GetAsync($"/api/leaderboards/{board}/top", Cancellation);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return null;
            }

            var entries = (await response.Content.ReadFromJsonAsync<JsonElement>(Cancellation)).GetProperty("entries").EnumerateArray().ToArray();
            return entries.Length == 2 && entries[0].GetProperty("score").GetInt64() == 21 ? entries : null;
        });
        Assert.Equal(["during", "before"], LeaderboardClient.Players(top));
    }

    private static Task<HttpResponseMessage> SubmitAsync(HttpClient client, string board, string player, string? idempotencyKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/leaderboards/{board}/scores/{player}") { Content = JsonContent.Create(new { score = 7 }) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return client.SendAsync(request, Cancellation);
    }

    private static async Task<T> EventuallyAsync<T>(Func<Task<T?>> attempt) where T : class
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            if (await attempt() is { } value)
            {
                return value;
            }

            Assert.True(DateTime.UtcNow < deadline, "The service did not recover in time.");
            await Task.Delay(250, Cancellation);
        }
    }
}
