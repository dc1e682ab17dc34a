using System.Net;
using System.Net.Http.Json;

namespace Leaderboard.Api.Tests;

public sealed class SafetyTests(DataStoresFixture stores) : IClassFixture<DataStoresFixture>
{
    private readonly LeaderboardClient _api = new(stores);

    private static CancellationToken Cancellation => LeaderboardClient.Cancellation;

    [Fact]
    public async Task WritesWithoutAKeyOrWithAnUnknownKeyAre401()
    {
        var board = await _api.CreateBoardAsync();

        var noKey = await _api.Public.PutAsJsonAsync($"/api/leaderboards/{board}/scores/alice", new { score = 1 }, Cancellation);
        var wrongKey = await stores.Client("not-a-real-key-at-all").PutAsJsonAsync($"/api/leaderboards/{board}/scores/alice", new { score = 1 }, Cancellation);

        Assert.Equal(HttpStatusCode.Unauthorized, noKey.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongKey.StatusCode);
        Assert.Equal("application/problem+json", wrongKey.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await _api.TopAsync(board));
    }

    [Fact]
    public async Task TheServerKeyOnAdminRoutesIs403()
    {
        var board = await _api.CreateBoardAsync();

        var create = await _api.Server.PutAsJsonAsync($"/api/leaderboards/{LeaderboardClient.NewBoardId()}", new { }, Cancellation);
        var delete = await _api.Server.DeleteAsync($"/api/leaderboards/{board}", Cancellation);
        var moderate = await _api.Server.DeleteAsync($"/api/leaderboards/{board}/scores/alice", Cancellation);
        var noKeyOnAdmin = await _api.Public.DeleteAsync($"/api/leaderboards/{board}", Cancellation);

        Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, delete.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, moderate.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, noKeyOnAdmin.StatusCode);
    }

    [Fact]
    public async Task TheAdminKeyMaySubmitScoresToo()
    {
        var board = await _api.CreateBoardAsync();

        var response = await _api.Admin.PutAsJsonAsync($"/api/leaderboards/{board}/scores/alice", new { score = 42 }, Cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(42L, await stores.StoredScoreAsync(board, "alice"));
        Assert.Equal(["alice"], LeaderboardClient.Players(await _api.TopAsync(board)));
    }

    [Fact]
    public async Task TheAdminKeyRemovesAPlayerFromEveryPeriod()
    {
        var board = await _api.CreateBoardAsync();
        await _api.SubmitAsync(board, "cheater", 999);
        await _api.SubmitAsync(board, "alice", 10);

        var removed = await _api.Admin.DeleteAsync($"/api/leaderboards/{board}/scores/cheater", Cancellation);

        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        Assert.Equal(["alice"], LeaderboardClient.Players(await _api.TopAsync(board)));
        Assert.Equal(1, (await _api.GetJsonAsync($"/api/leaderboards/{board}/players/alice")).GetProperty("rank").GetInt64());
    }

    [Fact]
    public async Task BodiesOver16KBAre413()
    {
        var board = await _api.CreateBoardAsync();
        var body = $"{{\"score\": 1, \"metadata\": {{\"pad\": \"{new string('x', 17 * 1024)}\"}}}}";

        var response = await _api.PutRawAsync(_api.Server, $"/api/leaderboards/{board}/scores/alice", body);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await _api.TopAsync(board));
    }
}
