using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace Leaderboard.Api.Tests;

public sealed class LiveTests(DataStoresFixture stores) : IClassFixture<DataStoresFixture>
{
    private readonly LeaderboardClient _api = new(stores);

    [Fact]
    public async Task TheLiveStreamSendsTheTopAtOnceThenEachChangeWithinOneSecond()
    {
        var board = await _api.CreateBoardAsync();
        await _api.SubmitAsync(board, "alice", 10);
        await using var stream = await LiveStream.OpenAsync(stores.Client(), board);

        var initial = await stream.NextAsync();
        var clock = Stopwatch.StartNew();
        await _api.SubmitAsync(board, "bob", 20);
        var changed = await stream.NextAsync();

        Assert.Equal(["alice"], LeaderboardClient.Players(initial.GetProperty("entries").EnumerateArray()));
        Assert.Equal(["bob", "alice"], LeaderboardClient.Players(changed.GetProperty("entries").EnumerateArray()));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"the change took {clock.Elapsed} to arrive");
    }

    [Fact]
    public async Task ABurstOfSubmissionsIsCoalescedToAtMostTenEventsASecond()
    {
        var board = await _api.CreateBoardAsync(new { @operator = "increment" });
        await using var stream = await LiveStream.OpenAsync(stores.Client(), board);
        await stream.NextAsync();

        var burst = Stopwatch.StartNew();
        for (var i = 0; i < 60; i++)
        {
            await _api.SubmitAsync(board, "alice", 1);
        }

        var events = 0;
        var last = default(JsonElement);
        while (true)
        {
            last = await stream.NextAsync();
            events++;
            var top = last.GetProperty("entries").EnumerateArray().Single();
            if (top.GetProperty("score").GetInt64() == 60)
            {
                break;
            }
        }

        var allowed = (int)Math.Ceiling(burst.Elapsed.TotalSeconds * 10) + 1;
        Assert.True(events <= allowed, $"{events} events in {burst.Elapsed} (at most {allowed} allowed)");
    }

    [Fact]
    public async Task LiveOnAnUnknownBoardIs404()
    {
        var response = await _api.Public.GetAsync($"/api/leaderboards/{LeaderboardClient.NewBoardId()}/live", LeaderboardClient.Cancellation);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
