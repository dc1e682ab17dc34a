using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Leaderboard.Api.Tests;

public sealed class SubmitScoreTests(DataStoresFixture stores) : IClassFixture<DataStoresFixture>
{
    private readonly LeaderboardClient _api = new(stores);
    private readonly HttpClient _client = stores.Client(DataStoresFixture.ServerKey);

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SubmitScoreStoresItDurablyInPostgres()
    {
        var board = await _api.CreateBoardAsync();

        var response = await _client.PutAsJsonAsync($"/api/leaderboards/{board}/scores/alice", new { score = 300 }, Cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(300L, await stores.StoredScoreAsync(board, "alice"));
    }

    [Fact]
    public async Task SubmitScoreKeepsThePlayersBestScore()
    {
        var board = await _api.CreateBoardAsync();

        var first = await SubmitAsync(board, "alice", 500);
        var lower = await SubmitAsync(board, "alice", 200);
        var higher = await SubmitAsync(board, "alice", 900);

        Assert.True(first.GetProperty("changed").GetBoolean());
        Assert.False(lower.GetProperty("changed").GetBoolean());
        Assert.Equal(500, lower.GetProperty("score").GetInt64());
        Assert.True(higher.GetProperty("changed").GetBoolean());
        Assert.Equal(900L, await stores.StoredScoreAsync(board, "alice"));

        var top = await TopAsync(board, 10);
        Assert.Equal(900, Assert.Single(top).GetProperty("score").GetInt64());
    }

    [Fact]
    public async Task TopReturnsTheBestScoresFirstWithOneBasedRanks()
    {
        var board = await _api.CreateBoardAsync();
        await SubmitAsync(board, "carol", 10);
        await SubmitAsync(board, "alice", 30);
        await SubmitAsync(board, "bob", 20);
        await SubmitAsync(board, "dave", -5);

        var top = await TopAsync(board, 3);

        Assert.Equal(["alice", "bob", "carol"], top.Select(entry => entry.GetProperty("playerId").GetString()));
        Assert.Equal([1L, 2L, 3L], top.Select(entry => entry.GetProperty("rank").GetInt64()));
        Assert.Equal([30L, 20L, 10L], top.Select(entry => entry.GetProperty("score").GetInt64()));
    }

    [Fact]
    public async Task WritingToAnUnknownBoardIsNotFoundAndStoresNothing()
    {
        var board = LeaderboardClient.NewBoardId();

        var response = await _client.PutAsJsonAsync($"/api/leaderboards/{board}/scores/alice", new { score = 1 }, Cancellation);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Null(await stores.StoredScoreAsync(board, "alice"));
    }

    [Fact]
    public async Task SubmitScoreAnswersWithThePlayersRank()
    {
        var board = await _api.CreateBoardAsync();
        await SubmitAsync(board, "alice", 100);

        var bob = await SubmitAsync(board, "bob", 50);

        Assert.Equal(2, bob.GetProperty("rank").GetInt64());
    }

    [Fact]
    public async Task ScoresAtTheExactRangeLimitsAreKeptExactly()
    {
        var board = await _api.CreateBoardAsync();
        const long max = (1L << 53) - 1;
        await SubmitAsync(board, "max", max);
        await SubmitAsync(board, "min", -max);

        var top = await TopAsync(board, 2);

        Assert.Equal([max, -max], top.Select(entry => entry.GetProperty("score").GetInt64()));
    }

    [Theory]
    [InlineData("{\"score\": 1.5}", "score")]
    [InlineData("{\"score\": \"12\"}", "score")]
    [InlineData("{\"score\": null}", "score")]
    [InlineData("{}", "score")]
    [InlineData("{\"score\": 9007199254740992}", "score")]
    [InlineData("{\"score\": 99999999999999999999}", "score")]
    public async Task BadScoresAreRejectedWithValidationProblemsAndNothingIsWritten(string body, string field)
    {
        var board = await _api.CreateBoardAsync();

        var response = await PutRawAsync($"/api/leaderboards/{board}/scores/alice", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancellation));
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _));
        Assert.Null(await stores.StoredScoreAsync(board, "alice"));
    }

    [Theory]
    [InlineData("{\"score\": 12")]
    [InlineData("not json")]
    [InlineData("[1, 2]")]
    public async Task MalformedJsonIsABadRequestProblemNotAServerError(string body)
    {
        var board = await _api.CreateBoardAsync();

        var response = await PutRawAsync($"/api/leaderboards/{board}/scores/alice", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Null(await stores.StoredScoreAsync(board, "alice"));
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("slash%2Fin-id")]
    [InlineData("emoji-%F0%9F%8E%AE")]
    public async Task InvalidIdsAreRejected(string playerId)
    {
        var response = await PutRawAsync($"/api/leaderboards/{await _api.CreateBoardAsync()}/scores/{playerId}", "{\"score\": 1}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task IdsOfExactly128CharactersAreAcceptedAndLongerOnesRejected()
    {
        var longest = new string('p', 128);
        var tooLong = new string('p', 129);

        var accepted = await PutRawAsync($"/api/leaderboards/{await _api.CreateBoardAsync()}/scores/{longest}", "{\"score\": 1}");
        var rejected = await PutRawAsync($"/api/leaderboards/{tooLong}/scores/alice", "{\"score\": 1}");

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, rejected.StatusCode);
        using var problem = JsonDocument.Parse(await rejected.Content.ReadAsStringAsync(Cancellation));
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty("boardId", out _));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("101")]
    [InlineData("-3")]
    [InlineData("ten")]
    public async Task TopRejectsALimitOutsideOneToOneHundred(string limit)
    {
        var response = await _client.GetAsync($"/api/leaderboards/{await _api.CreateBoardAsync()}/top?limit={limit}", Cancellation);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private async Task<HttpResponseMessage> PutRawAsync(string path, string body) =>
        await _client.PutAsync(path, new StringContent(body, Encoding.UTF8, "application/json"), Cancellation);

    private async Task<JsonElement> SubmitAsync(string board, string player, long score)
    {
        var response = await _client.PutAsJsonAsync($"/api/leaderboards/{board}/scores/{player}", new { score }, Cancellation);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Cancellation));
    }

    private async Task<JsonElement[]> TopAsync(string board, int limit)
    {
        var body = await _client.GetFromJsonAsync<JsonElement>($"/api/leaderboards/{board}/top?limit={limit}", Cancellation);
        return [.. body.GetProperty("entries").EnumerateArray()];
    }
}
