using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Leaderboard.Api.Tests;

public sealed class BoardTests(DataStoresFixture stores) : IClassFixture<DataStoresFixture>
{
    private readonly LeaderboardClient _api = new(stores);

    private static CancellationToken Cancellation => LeaderboardClient.Cancellation;

    [Fact]
    public async Task CreatingABoardIs201AndTheSameConfigurationAgainIs200()
    {
        var boardId = LeaderboardClient.NewBoardId();
        var definition = new { sortOrder = "ascending", @operator = "set", resetSchedule = "0 0 * * 1", minScore = 0, maxScore = 1000, metadata = new { title = "Lap times" } };

        var created = await _api.Admin.PutAsJsonAsync($"/api/leaderboards/{boardId}", definition, Cancellation);
        var again = await _api.Admin.PutAsJsonAsync($"/api/leaderboards/{boardId}", definition, Cancellation);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal($"/api/leaderboards/{boardId}", created.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var board = await _api.GetJsonAsync($"/api/leaderboards/{boardId}");
        Assert.Equal("ascending", board.GetProperty("sortOrder").GetString());
        Assert.Equal("set", board.GetProperty("operator").GetString());
        Assert.Equal("0 0 * * 1", board.GetProperty("resetSchedule").GetString());
        Assert.Equal("Lap times", board.GetProperty("metadata").GetProperty("title").GetString());
        Assert.Equal(0, board.GetProperty("entryCount").GetInt64());
        Assert.True(board.GetProperty("currentPeriod").GetProperty("current").GetBoolean());
    }

    [Theory]
    [InlineData("""{"sortOrder": "ascending"}""")]
    [InlineData("""{"operator": "increment"}""")]
    public async Task ChangingTheSortOrderOrOperatorOfABoardIsAConflict(string change)
    {
        var boardId = await _api.CreateBoardAsync();

        var response = await _api.PutRawAsync(_api.Admin, $"/api/leaderboards/{boardId}", change);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var board = await _api.GetJsonAsync($"/api/leaderboards/{boardId}");
        Assert.Equal("descending", board.GetProperty("sortOrder").GetString());
        Assert.Equal("best", board.GetProperty("operator").GetString());
    }

    [Fact]
    public async Task BoundsAndMetadataOfABoardCanChange()
    {
        var boardId = await _api.CreateBoardAsync();

        var response = await _api.Admin.PutAsJsonAsync($"/api/leaderboards/{boardId}", new { maxScore = 50 }, Cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var rejected = await _api.Server.PutAsJsonAsync($"/api/leaderboards/{boardId}/scores/alice", new { score = 51 }, Cancellation);
        Assert.Equal(HttpStatusCode.BadRequest, rejected.StatusCode);
    }

    [Fact]
    public async Task ListingShowsEveryBoardAndGetCountsItsEntries()
    {
        var boardId = await _api.CreateBoardAsync();
        await _api.SubmitAsync(boardId, "alice", 1);
        await _api.SubmitAsync(boardId, "bob", 2);

        var all = await _api.GetJsonAsync("/api/leaderboards");
        var board = await _api.GetJsonAsync($"/api/leaderboards/{boardId}");

        Assert.Contains(all.EnumerateArray(), entry => entry.GetProperty("boardId").GetString() == boardId);
        Assert.Equal(2, board.GetProperty("entryCount").GetInt64());
    }

    [Fact]
    public async Task DeletingABoardRemovesItAndItsScores()
    {
        var boardId = await _api.CreateBoardAsync();
        await _api.SubmitAsync(boardId, "alice", 10);

        var deleted = await _api.Admin.DeleteAsync($"/api/leaderboards/{boardId}", Cancellation);

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.Public.GetAsync($"/api/leaderboards/{boardId}", Cancellation)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.Public.GetAsync($"/api/leaderboards/{boardId}/top", Cancellation)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.Admin.DeleteAsync($"/api/leaderboards/{boardId}", Cancellation)).StatusCode);
    }

    [Theory]
    [InlineData("""{"resetSchedule": "every monday"}""", "resetSchedule")]
    [InlineData("""{"minScore": 10, "maxScore": 5}""", "minScore")]
    [InlineData("""{"maxScore": 9007199254740992}""", "maxScore")]
    [InlineData("""{"metadata": [1, 2]}""", "metadata")]
    public async Task InvalidBoardDefinitionsAreValidationProblems(string body, string field)
    {
        var response = await _api.PutRawAsync(_api.Admin, $"/api/leaderboards/{LeaderboardClient.NewBoardId()}", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancellation));
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _), problem.RootElement.ToString());
    }

    [Theory]
    [InlineData("""{"sortOrder": "sideways"}""")]
    [InlineData("""{"operator": "max"}""")]
    public async Task UnknownEnumValuesAreBadRequests(string body)
    {
        var response = await _api.PutRawAsync(_api.Admin, $"/api/leaderboards/{LeaderboardClient.NewBoardId()}", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
