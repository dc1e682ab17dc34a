using System.Net;
using System.Net.Http.Json;
using Leaderboard.Api.Model;
using Leaderboard.Api.Ranking;
using Microsoft.Extensions.DependencyInjection;

namespace Leaderboard.Api.Tests;

public sealed class IndexRecoveryTests(DataStoresFixture stores) : IClassFixture<DataStoresFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly LeaderboardClient _api = new(stores);

    private static CancellationToken Cancellation => LeaderboardClient.Cancellation;

    [Fact]
    public async Task AfterRedisIsFlushedReadsRebuildTheIndexFromPostgres()
    {
        var board = await _api.CreateBoardAsync();
        for (var i = 0; i < 50; i++)
        {
            await _api.SubmitAsync(board, $"p{i:D2}", i);
        }

        await using (var redis = await stores.ConnectRedisAsync())
        {
            await redis.GetServers()[0].FlushAllDatabasesAsync();
        }

        var top = await _api.TopAsync(board, 100);
        Assert.Equal(50, top.Length);
        Assert.Equal("p49", top[0].GetProperty("playerId").GetString());
        Assert.Equal(50, (await _api.GetJsonAsync($"/api/leaderboards/{board}")).GetProperty("entryCount").GetInt64());
    }

    [Fact]
    public async Task WhileRedisIsStoppedWritesSucceedReadsAre503AndNoAcknowledgedScoreIsLost()
    {
        var board = await _api.CreateBoardAsync();
        await _api.SubmitAsync(board, "before", 1);
        var commands = stores.DataStores.Services.GetRequiredService<ResourceCommandService>();

        await commands.ExecuteCommandAsync("cache", KnownResourceCommands.StopCommand, Cancellation).WaitAsync(Patience, Cancellation);
        await stores.DataStores.ResourceNotifications.WaitForResourceAsync("cache", update => KnownResourceStates.TerminalStates.Contains(update.Snapshot.State?.Text), Cancellation).WaitAsync(Patience, Cancellation);

        var acknowledged = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            var response = await _api.Server.PutAsJsonAsync($"/api/leaderboards/{board}/scores/during{i:D2}", new { score = 100 + i }, Cancellation);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            acknowledged.Add($"during{i:D2}");
        }

        var read = await _api.Public.GetAsync($"/api/leaderboards/{board}/top", Cancellation);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, read.StatusCode);
        Assert.NotNull(read.Headers.RetryAfter);

        // Still ready: the replica keeps taking durable writes, so it stays behind its Service.
        Assert.Equal(HttpStatusCode.OK, (await _api.Public.GetAsync("/health", Cancellation)).StatusCode);

        await commands.ExecuteCommandAsync("cache", KnownResourceCommands.StartCommand, Cancellation).WaitAsync(Patience, Cancellation);
        await stores.DataStores.ResourceNotifications.WaitForResourceHealthyAsync("cache", Cancellation).WaitAsync(Patience, Cancellation);

        var top = await EventuallyAsync(async () =>
        {
            var response = await _api.Public.GetAsync($"/api/leaderboards/{board}/top?limit=100", Cancellation);
            return response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(Cancellation) : (System.Text.Json.JsonElement?)null;
        });
        var players = LeaderboardClient.Players(top.GetProperty("entries").EnumerateArray());
        Assert.Equal(acknowledged.AsEnumerable().Reverse().Append("before"), players);
    }

    [Fact]
    public async Task TheAdminRebuildEndpointRestoresAnIndexThatLostEntries()
    {
        var board = await _api.CreateBoardAsync();
        await _api.SubmitAsync(board, "alice", 10);
        await _api.SubmitAsync(board, "bob", 20);
        await using (var redis = await stores.ConnectRedisAsync())
        {
            var database = redis.GetDatabase();
            var ranking = new IndexKeys(board, "all-time").Ranking;
            var bobMember = (await database.SortedSetRangeByRankAsync(ranking)).Single(member => RankKey.Decode(SortOrder.Descending, (byte[])member!).PlayerId == "bob");
            await database.SortedSetRemoveAsync(ranking, bobMember);
        }

        Assert.Single(await _api.TopAsync(board));
        var rebuilt = await _api.Admin.PostAsync($"/api/leaderboards/{board}/index/rebuild", null, Cancellation);

        Assert.Equal(HttpStatusCode.Accepted, rebuilt.StatusCode);
        Assert.Equal(["bob", "alice"], LeaderboardClient.Players(await _api.TopAsync(board)));
    }

    private static async Task<T> EventuallyAsync<T>(Func<Task<T?>> attempt) where T : struct
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            if (await attempt() is { } value)
            {
                return value;
            }

            Assert.True(DateTime.UtcNow < deadline, "The index did not come back in time.");
            await Task.Delay(250, Cancellation);
        }
    }
}
