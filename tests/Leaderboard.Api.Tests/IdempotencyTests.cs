using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Leaderboard.Api.Data;
using Microsoft.Extensions.DependencyInjection;

namespace Leaderboard.Api.Tests;

public sealed class IdempotencyTests(DataStoresFixture stores) : IClassFixture<DataStoresFixture>
{
    private readonly LeaderboardClient _api = new(stores);

    private static CancellationToken Cancellation => LeaderboardClient.Cancellation;

    [Fact]
    public async Task TwoHundredConcurrentIncrementsWithOneHundredKeysEachSentTwiceAddUpToOneHundred()
    {
        var board = await _api.CreateBoardAsync(new { @operator = "increment" });
        var keys = Enumerable.Range(0, 100).Select(i => $"inc-{Guid.NewGuid():N}-{i}").ToArray();
        var requests = keys.Concat(keys).OrderBy(_ => Random.Shared.Next()).ToArray();

        var statuses = await Task.WhenAll(requests.Select(async key =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/leaderboards/{board}/scores/alice") { Content = JsonContent.Create(new { score = 1 }) };
            request.Headers.Add("Idempotency-Key", key);
            var response = await _api.Server.SendAsync(request, Cancellation);
            return response.StatusCode;
        }));

        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.Equal(100, Assert.Single(await _api.TopAsync(board)).GetProperty("score").GetInt64());
    }

    [Fact]
    public async Task ARepeatedKeyReturnsTheFirstAnswerAndAppliesNothing()
    {
        var board = await _api.CreateBoardAsync(new { @operator = "increment" });

        var first = await SendAsync(board, "alice", 5, "key-once");
        await _api.SubmitAsync(board, "alice", 10); // moves the score on without a key
        var repeat = await SendAsync(board, "alice", 5, "key-once");

        Assert.Equal(HttpStatusCode.OK, repeat.StatusCode);
        Assert.Equal((await first.Content.ReadFromJsonAsync<JsonElement>(Cancellation)).GetRawText(), (await repeat.Content.ReadFromJsonAsync<JsonElement>(Cancellation)).GetRawText());
        Assert.Equal(15, Assert.Single(await _api.TopAsync(board)).GetProperty("score").GetInt64());
    }

    [Fact]
    public async Task AKeyReusedWithADifferentBodyIs422AndAppliesNothing()
    {
        var board = await _api.CreateBoardAsync(new { @operator = "increment" });
        await SendAsync(board, "alice", 5, "key-reused");

        var reused = await SendAsync(board, "alice", 6, "key-reused");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, reused.StatusCode);
        Assert.Equal("application/problem+json", reused.Content.Headers.ContentType?.MediaType);
        Assert.Equal(5, Assert.Single(await _api.TopAsync(board)).GetProperty("score").GetInt64());
    }

    [Fact]
    public async Task AKeyIsHonouredFor24HoursAndForgottenOnceOlderThan48Hours()
    {
        var board = await _api.CreateBoardAsync(new { @operator = "increment" });
        var key = $"retained-{Guid.NewGuid():N}";
        var first = await (await SendAsync(board, "alice", 5, key)).Content.ReadFromJsonAsync<JsonElement>(Cancellation);

        // A day later, after a purge: the key still answers as the first time and applies nothing.
        stores.Clock.Advance(TimeSpan.FromHours(24));
        await PurgeOnceAsync();
        var dayLater = await SendAsync(board, "alice", 5, key);

        Assert.Equal(HttpStatusCode.OK, dayLater.StatusCode);
        Assert.Equal(first.GetRawText(), (await dayLater.Content.ReadFromJsonAsync<JsonElement>(Cancellation)).GetRawText());
        Assert.Equal(5L, await stores.StoredScoreAsync(board, "alice"));

        // Past two days, after a purge: the key is forgotten, so the same request applies again.
        stores.Clock.Advance(TimeSpan.FromHours(24) + TimeSpan.FromMinutes(1));
        await PurgeOnceAsync();
        var twoDaysLater = await SendAsync(board, "alice", 5, key);

        Assert.Equal(HttpStatusCode.OK, twoDaysLater.StatusCode);
        Assert.Equal(10, (await twoDaysLater.Content.ReadFromJsonAsync<JsonElement>(Cancellation)).GetProperty("score").GetInt64());
        Assert.Equal(10L, await stores.StoredScoreAsync(board, "alice"));
    }

    /// <summary>One round of the service's hourly purge, on the fixture's clock; returns once it has logged its result.</summary>
    private async Task PurgeOnceAsync()
    {
        // The purge logs "Purged N expired idempotency keys", or that purging them failed.
        var before = stores.Logs.Matching("expired idempotency keys").Count;
        using var purge = ActivatorUtilities.CreateInstance<IdempotencyPurgeService>(stores.Api.Services);
        await purge.StartAsync(Cancellation);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (stores.Logs.Matching("expired idempotency keys").Count == before)
        {
            Assert.True(DateTime.UtcNow < deadline, "The idempotency purge did not report within 30 s.");
            await Task.Delay(50, Cancellation);
        }

        await purge.StopAsync(Cancellation);
        var outcome = stores.Logs.Matching("expired idempotency keys")[before];
        Assert.True(outcome.Message.StartsWith("Purged ", StringComparison.Ordinal), outcome.AllText);
    }

    private async Task<HttpResponseMessage> SendAsync(string board, string player, long score, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/leaderboards/{board}/scores/{player}") { Content = JsonContent.Create(new { score }) };
        request.Headers.Add("Idempotency-Key", key);
        return await _api.Server.SendAsync(request, Cancellation);
    }
}
