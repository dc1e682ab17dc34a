using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
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
        await StopRedisAsync();

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

        await StartRedisAsync();

        var top = await EventuallyAsync(async () =>
        {
            var response = await _api.Public.GetAsync($"/api/leaderboards/{board}/top?limit=100", Cancellation);
            return response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadFromJsonAsync<JsonElement>(Cancellation) : (JsonElement?)null;
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
        // An answer within the Redis write budget may leave the index write still in flight: wait for
        // both entries, so the removal below is not undone by a late write.
        await EventuallyAsync(async () => (await _api.TopAsync(board)).Count() == 2 ? true : (bool?)null);
        await using (var redis = await stores.ConnectRedisAsync())
        {
            var database = redis.GetDatabase();
            var members = $"lb:{{{board}|all-time}}:members";
            var bobMember = await database.HashGetAsync(members, "bob");
            await database.SortedSetRemoveAsync($"lb:{{{board}|all-time}}:ranking", bobMember);
        }

        Assert.Single(await _api.TopAsync(board));
        var rebuilt = await _api.Admin.PostAsync($"/api/leaderboards/{board}/index/rebuild", null, Cancellation);

        Assert.Equal(HttpStatusCode.Accepted, rebuilt.StatusCode);
        Assert.Equal(["bob", "alice"], LeaderboardClient.Players(await _api.TopAsync(board)));
    }

    [Fact]
    public async Task WhileRedisIsDownASubmissionAnswers200WithANullRankAndIsStoredInPostgres()
    {
        var board = await _api.CreateBoardAsync();
        await StopRedisAsync();
        try
        {
            var response = await _api.Server.PutAsJsonAsync($"/api/leaderboards/{board}/scores/alice", new { score = 4200 }, Cancellation).WaitAsync(Patience, Cancellation);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(Cancellation);
            Assert.True(body.TryGetProperty("rank", out var rank), $"the answer has no rank: {body}");
            Assert.Equal(JsonValueKind.Null, rank.ValueKind);
            Assert.Equal(4200, body.GetProperty("score").GetInt64());
            Assert.Equal(4200L, await stores.StoredScoreAsync(board, "alice"));
        }
        finally
        {
            await StartRedisAsync();
        }
    }

    [Fact]
    public async Task WhenTwoReplicasReadAMissingIndexAtOnceExactlyOneOfThemRebuildsIt()
    {
        // Enough records that a rebuild takes a while, so reads of both replicas meet it.
        const int players = 3000;
        var board = await _api.CreateBoardAsync();
        await Parallel.ForEachAsync(Enumerable.Range(0, players), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = Cancellation }, async (i, _) =>
            await _api.SubmitAsync(board, $"p{i:D5}", i));

        var secondLogs = new LogCapture();
        await using var second = stores.CreateReplica(secondLogs);
        using var secondClient = second.CreateClient();
        var replicas = new[] { (Name: "first", Client: _api.Public, Logs: stores.Logs), (Name: "second", Client: secondClient, Logs: secondLogs) };
        foreach (var replica in replicas)
        {
            // Each replica is up (a host starts on its first request); the first of these reads builds the index.
            Assert.Equal(HttpStatusCode.OK, (await replica.Client.GetAsync($"/api/leaderboards/{board}/top", Cancellation).WaitAsync(Patience, Cancellation)).StatusCode);
        }

        // A period's first read builds its index; only rebuilds after this point count.
        var earlier = replicas.Select(replica => replica.Logs.Matching("Rebuilding the ranking index", board).Count).ToArray();

        // The index of the period goes, as when Redis comes back empty.
        await using (var redis = await stores.ConnectRedisAsync())
        {
            var server = redis.GetServers()[0];
            var keys = await server.KeysAsync(pattern: $"lb:{{{board}|*").ToArrayAsync(Cancellation);
            Assert.NotEmpty(keys);
            await redis.GetDatabase().KeyDeleteAsync(keys);
        }

        // Both replicas read at once, eight times each.
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reads = replicas.SelectMany(replica => Enumerable.Range(0, 8).Select(async _ =>
        {
            await go.Task;
            return (replica.Name, Response: await replica.Client.GetAsync($"/api/leaderboards/{board}/top?limit=100", Cancellation));
        })).ToArray();
        go.SetResult();
        var answers = await Task.WhenAll(reads).WaitAsync(Patience, Cancellation);

        Assert.All(answers, answer => Assert.True(
            answer.Response.StatusCode == HttpStatusCode.OK || (answer.Response.StatusCode == HttpStatusCode.ServiceUnavailable && answer.Response.Headers.RetryAfter is not null),
            $"{answer.Name}: {(int)answer.Response.StatusCode}"));
        int[] RebuildsSinceTheIndexWent() => [.. replicas.Select((replica, i) => replica.Logs.Matching("Rebuilding the ranking index", board).Count - earlier[i])];
        var rebuilds = RebuildsSinceTheIndexWent();
        Assert.True(rebuilds.Sum() == 1, $"Rebuilds by the first and second replica: {string.Join(" and ", rebuilds)}; exactly one expected.");

        // The replica that did not rebuild met the lock: it answered 503 rather than rebuilding too.
        var other = replicas[Array.IndexOf(rebuilds, 0)].Name;
        Assert.Contains(answers, answer => answer.Name == other && answer.Response.StatusCode == HttpStatusCode.ServiceUnavailable);

        foreach (var replica in replicas)
        {
            var entryCount = await EventuallyAsync(async () =>
            {
                var response = await replica.Client.GetAsync($"/api/leaderboards/{board}", Cancellation);
                return response.StatusCode == HttpStatusCode.OK ? (await response.Content.ReadFromJsonAsync<JsonElement>(Cancellation)).GetProperty("entryCount").GetInt64() : (long?)null;
            });
            Assert.Equal(players, entryCount);
        }

        Assert.Equal(1, RebuildsSinceTheIndexWent().Sum());
        foreach (var answer in answers)
        {
            answer.Response.Dispose();
        }
    }

    private async Task StopRedisAsync()
    {
        var commands = stores.DataStores.Services.GetRequiredService<ResourceCommandService>();
        await commands.ExecuteCommandAsync("cache", KnownResourceCommands.StopCommand, Cancellation).WaitAsync(Patience, Cancellation);
        await stores.DataStores.ResourceNotifications.WaitForResourceAsync("cache", update => KnownResourceStates.TerminalStates.Contains(update.Snapshot.State?.Text), Cancellation).WaitAsync(Patience, Cancellation);
    }

    private async Task StartRedisAsync()
    {
        var commands = stores.DataStores.Services.GetRequiredService<ResourceCommandService>();
        await commands.ExecuteCommandAsync("cache", KnownResourceCommands.StartCommand, Cancellation).WaitAsync(Patience, Cancellation);
        await stores.DataStores.ResourceNotifications.WaitForResourceHealthyAsync("cache", Cancellation).WaitAsync(Patience, Cancellation);
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
