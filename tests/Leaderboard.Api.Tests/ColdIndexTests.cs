using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Leaderboard.Api.Tests;

/// <summary>
/// An index that is not ready (Redis lost it): listings never wait for rebuilds, and a period that
/// another replica is rebuilding is not rebuilt here too; its reads answer 503 with Retry-After
/// until that rebuild is done.
/// </summary>
public sealed class ColdIndexTests(DataStoresFixture stores) : IClassFixture<DataStoresFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly LeaderboardClient _api = new(stores);

    private static CancellationToken Cancellation => LeaderboardClient.Cancellation;

    [Fact]
    public async Task AListingAfterRedisLostItsDataShowsNoCountInsteadOfWaitingThenTheCountOnceRebuilt()
    {
        var board = await _api.CreateBoardAsync();
        await _api.SubmitAsync(board, "alice", 1);
        await _api.SubmitAsync(board, "bob", 2);
        await FlushRedisAsync();

        // The listing reads the counts first and only then starts the rebuilds: this answer has none.
        var listed = await _api.GetJsonAsync("/api/leaderboards");
        Assert.Equal(JsonValueKind.Null, Listed(listed, board).GetProperty("entryCount").ValueKind);

        var counted = await EventuallyAsync(async () =>
            Listed(await _api.GetJsonAsync("/api/leaderboards"), board).GetProperty("entryCount") is { ValueKind: JsonValueKind.Number } count ? count.GetInt64() : (long?)null);
        Assert.Equal(2, counted);
    }

    [Fact]
    public async Task APeriodAnotherReplicaIsRebuildingIsNotRebuiltHereAndIs503WithRetryAfterUntilItIsDone()
    {
        var board = await _api.CreateBoardAsync();
        await _api.SubmitAsync(board, "alice", 1);
        await FlushRedisAsync();

        // Another replica holds the period's rebuild lock (the key every replica takes first).
        var rebuildLock = $"lb:{{{board}|all-time}}:rebuilding";
        await using var redis = await stores.ConnectRedisAsync();
        var database = redis.GetDatabase();
        Assert.True(await database.StringSetAsync(rebuildLock, "another-replica", TimeSpan.FromMinutes(5)));

        for (var i = 0; i < 3; i++)
        {
            var cold = await _api.Public.GetAsync($"/api/leaderboards/{board}/top", Cancellation);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, cold.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(1), cold.Headers.RetryAfter?.Delta);
            Assert.Equal("application/problem+json", cold.Content.Headers.ContentType?.MediaType);
        }

        // Nothing was rebuilt beside the other replica: the period's index is still empty.
        Assert.Empty(await redis.GetServers()[0].KeysAsync(pattern: $"lb:{{{board}|all-time}}:2:*").ToListAsync(Cancellation));

        // That replica went away without finishing: once its lock lapses, a read here rebuilds.
        Assert.True(await database.KeyDeleteAsync(rebuildLock));
        var top = await EventuallyAsync(async () =>
        {
            var response = await _api.Public.GetAsync($"/api/leaderboards/{board}/top", Cancellation);
            return response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadFromJsonAsync<JsonElement>(Cancellation) : (JsonElement?)null;
        });
        Assert.Equal(["alice"], LeaderboardClient.Players(top.GetProperty("entries").EnumerateArray()));
    }

    private static JsonElement Listed(JsonElement listing, string board) =>
        Assert.Single(listing.EnumerateArray(), entry => entry.GetProperty("boardId").GetString() == board);

    private async Task FlushRedisAsync()
    {
        await using var redis = await stores.ConnectRedisAsync();
        await redis.GetServers()[0].FlushAllDatabasesAsync();
    }

    private static async Task<T> EventuallyAsync<T>(Func<Task<T?>> attempt) where T : struct
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            if (await attempt() is { } done)
            {
                return done;
            }

            Assert.True(DateTime.UtcNow < deadline, "Not done in time.");
            await Task.Delay(TimeSpan.FromMilliseconds(200), Cancellation);
        }
    }
}
