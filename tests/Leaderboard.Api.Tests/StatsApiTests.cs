using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Leaderboard.Stats.Feed;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Leaderboard.Api.Tests;

/// <summary>`GET /api/leaderboards/{boardId}/stats`: the stats worker's rows as they are, or ProblemDetails.</summary>
public sealed class StatsApiTests(DataStoresFixture stores) : IClassFixture<DataStoresFixture>
{
    private readonly LeaderboardClient _client = new(stores);

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private Task<int> ApplyAsync(string boardId) =>
        new ChangeApplier(stores.Api.Services.GetRequiredService<NpgsqlDataSource>()).ApplyNextAsync(boardId, Cancellation);

    [Fact]
    public async Task TheStatsAreTheAggregatesOfTheRecordsOnceApplied()
    {
        var boardId = await _client.CreateBoardAsync();
        foreach (var (player, score) in new[] { ("a", 10L), ("b", 20L), ("c", 30L), ("d", 40L), ("e", 50L), ("a", 60L), ("b", 5L) })
        {
            await _client.SubmitAsync(boardId, player, score);
        }

        // Before the worker applied anything: the period exists, its stats are empty.
        var before = await _client.GetJsonAsync($"/api/leaderboards/{boardId}/stats");
        Assert.Equal(0, before.GetProperty("entries").GetInt64());
        Assert.Equal(JsonValueKind.Null, before.GetProperty("p50").ValueKind);

        // Six changes of a record, and seven submission counts: one per write transaction, as they were sent one by one.
        Assert.Equal(6 + 7, await ApplyAsync(boardId));
        var stats = await _client.GetJsonAsync($"/api/leaderboards/{boardId}/stats");

        // Records: a 60, b 20 (5 is no better), c 30, d 40, e 50; six changes of a record.
        Assert.Equal(5, stats.GetProperty("entries").GetInt64());
        Assert.Equal(6, stats.GetProperty("changes").GetInt64());
        Assert.Equal(20, stats.GetProperty("minScore").GetInt64());
        Assert.Equal(60, stats.GetProperty("maxScore").GetInt64());
        Assert.Equal(40.0, stats.GetProperty("meanScore").GetDouble(), 9);
        Assert.InRange(stats.GetProperty("p50").GetDouble(), 40 * 0.99, 40 * 1.01);
        Assert.InRange(stats.GetProperty("p90").GetDouble(), 60 * 0.99, 60 * 1.01);
        Assert.Equal(7, stats.GetProperty("submissions").GetInt64());
        Assert.Equal(
            "[{\"from\":20,\"to\":49,\"count\":3},{\"from\":50,\"to\":99,\"count\":2}]",
            stats.GetProperty("histogram").GetRawText());
        Assert.Equal("a", stats.GetProperty("leader").GetProperty("player").GetString());
        Assert.Equal(60, stats.GetProperty("leader").GetProperty("score").GetInt64());
        Assert.Equal(["a", "b", "c", "d", "e", "a"], stats.GetProperty("newLeaders").EnumerateArray().Select(leader => leader.GetProperty("player").GetString()));

        // a went from 10 to 60, past b 20, c 30, d 40 and e 50.
        Assert.Equal("[{\"player\":\"a\",\"positions\":4}]", stats.GetProperty("climbers").GetRawText());
        Assert.Equal(JsonValueKind.Null, stats.GetProperty("recap").ValueKind);
        Assert.Equal(stats.GetProperty("period").GetString(), (await _client.GetJsonAsync($"/api/leaderboards/{boardId}")).GetProperty("currentPeriod").GetProperty("periodId").GetString());
    }

    [Fact]
    public async Task SubmissionsPerMinuteCountTheMinutesThatBeganWithinTheHourBeforeNow()
    {
        var boardId = await _client.CreateBoardAsync();
        var start = stores.Clock.GetUtcNow();
        var firstMinute = new DateTimeOffset(start.Year, start.Month, start.Day, start.Hour, start.Minute, 0, TimeSpan.Zero);
        foreach (var player in new[] { "a", "b", "c" })
        {
            await _client.SubmitAsync(boardId, player, 10);
        }

        // Thirty minutes later, two more.
        stores.Clock.SetUtcNow(firstMinute.AddMinutes(30));
        foreach (var player in new[] { "d", "e" })
        {
            await _client.SubmitAsync(boardId, player, 10);
        }

        await ApplyAsync(boardId);
        async Task<double> RateAtAsync(DateTimeOffset now)
        {
            stores.Clock.SetUtcNow(now);
            return (await _client.GetJsonAsync($"/api/leaderboards/{boardId}/stats")).GetProperty("submissionsPerMinute").GetDouble();
        }

        Assert.Equal(5 / 60.0, await RateAtAsync(firstMinute.AddMinutes(59).AddSeconds(59)), 9);
        // An hour after the first minute began, that minute has left the window; the later one has not.
        Assert.Equal(2 / 60.0, await RateAtAsync(firstMinute.AddHours(1)), 9);
        Assert.Equal(2 / 60.0, await RateAtAsync(firstMinute.AddMinutes(89).AddSeconds(59)), 9);
        Assert.Equal(0, await RateAtAsync(firstMinute.AddMinutes(90)), 9);
    }

    [Fact]
    public async Task AnUnknownBoardOrPeriodIsProblemDetails()
    {
        var boardId = await _client.CreateBoardAsync();

        var noBoard = await _client.Public.GetAsync("/api/leaderboards/no-such-board/stats", Cancellation);
        var noPeriod = await _client.Public.GetAsync($"/api/leaderboards/{boardId}/stats?period=19990101T000000Z", Cancellation);

        foreach (var (response, title) in new[] { (noBoard, "Board not found"), (noPeriod, "Period not found") })
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Cancellation);
            Assert.Equal(title, problem.GetProperty("title").GetString());
        }
    }
}
