using System.Net;

namespace Leaderboard.Api.Tests;

public sealed class ResetTests(DataStoresFixture stores) : IClassFixture<DataStoresFixture>
{
    private readonly LeaderboardClient _api = new(stores);

    [Fact]
    public async Task ADailyResetStartsANewPeriodAndTheOldOneStaysReadableAndUnchanged()
    {
        var board = await _api.CreateBoardAsync(new { resetSchedule = "0 0 * * *" });
        var first = await _api.SubmitAsync(board, "alice", 100);
        var firstPeriod = first.GetProperty("period").GetString()!;

        stores.Clock.Advance(TimeSpan.FromDays(1));
        var second = await _api.SubmitAsync(board, "bob", 5);
        var secondPeriod = second.GetProperty("period").GetString()!;

        Assert.NotEqual(firstPeriod, secondPeriod);
        Assert.Equal(1, second.GetProperty("rank").GetInt64());
        Assert.Equal(["bob"], LeaderboardClient.Players(await _api.TopAsync(board)));
        Assert.Equal(["alice"], LeaderboardClient.Players(await _api.TopAsync(board, period: firstPeriod)));

        var periods = (await _api.GetJsonAsync($"/api/leaderboards/{board}/periods")).EnumerateArray().ToArray();
        Assert.Equal([secondPeriod, firstPeriod], periods.Select(period => period.GetProperty("periodId").GetString()));
        Assert.True(periods[0].GetProperty("current").GetBoolean());
        Assert.False(periods[1].GetProperty("current").GetBoolean());
        Assert.Equal(secondPeriod, (await _api.GetJsonAsync($"/api/leaderboards/{board}")).GetProperty("currentPeriod").GetProperty("periodId").GetString());
    }

    [Fact]
    public async Task AnUnknownPeriodIs404()
    {
        var board = await _api.CreateBoardAsync(new { resetSchedule = "0 * * * *" });

        var response = await _api.Public.GetAsync($"/api/leaderboards/{board}/top?period=19990101T000000Z", LeaderboardClient.Cancellation);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
