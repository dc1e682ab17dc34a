using System.Net;
using System.Net.Http.Json;

namespace Leaderboard.Api.Tests;

public sealed class OperatorAndRankingTests(DataStoresFixture stores) : IClassFixture<DataStoresFixture>
{
    private const long Max = (1L << 53) - 1;
    private readonly LeaderboardClient _api = new(stores);

    [Fact]
    public async Task BestKeepsTheBetterScoreAndSubscorePairAsAWhole()
    {
        var board = await _api.CreateBoardAsync(new { @operator = "best" });
        await _api.SubmitAsync(board, "alice", 100, subscore: 5);

        var lowerSubscore = await _api.SubmitAsync(board, "alice", 100, subscore: 3);
        var higherSubscore = await _api.SubmitAsync(board, "alice", 100, subscore: 9);
        var lowerScoreHigherSubscore = await _api.SubmitAsync(board, "alice", 99, subscore: 1000);

        Assert.False(lowerSubscore.GetProperty("changed").GetBoolean());
        Assert.True(higherSubscore.GetProperty("changed").GetBoolean());
        Assert.False(lowerScoreHigherSubscore.GetProperty("changed").GetBoolean());
        Assert.Equal(100, lowerScoreHigherSubscore.GetProperty("score").GetInt64());
        Assert.Equal(9, lowerScoreHigherSubscore.GetProperty("subscore").GetInt64());
    }

    [Fact]
    public async Task SetReplacesEvenWithAWorseScore()
    {
        var board = await _api.CreateBoardAsync(new { @operator = "set" });
        await _api.SubmitAsync(board, "alice", 100);

        var replaced = await _api.SubmitAsync(board, "alice", 7, subscore: 2);

        Assert.True(replaced.GetProperty("changed").GetBoolean());
        var entry = Assert.Single(await _api.TopAsync(board));
        Assert.Equal(7, entry.GetProperty("score").GetInt64());
        Assert.Equal(2, entry.GetProperty("subscore").GetInt64());
    }

    [Fact]
    public async Task IncrementAndDecrementAddToTheStoredScore()
    {
        var increments = await _api.CreateBoardAsync(new { @operator = "increment" });
        var decrements = await _api.CreateBoardAsync(new { @operator = "decrement" });

        await _api.SubmitAsync(increments, "alice", 5);
        var afterIncrement = await _api.SubmitAsync(increments, "alice", 7);
        await _api.SubmitAsync(decrements, "alice", 5);
        var afterDecrement = await _api.SubmitAsync(decrements, "alice", 7);

        Assert.Equal(12, afterIncrement.GetProperty("score").GetInt64());
        Assert.Equal(-12, afterDecrement.GetProperty("score").GetInt64());
    }

    [Fact]
    public async Task AnIncrementPastTheScoreRangeIsRejectedAndChangesNothing()
    {
        var board = await _api.CreateBoardAsync(new { @operator = "increment" });
        await _api.SubmitAsync(board, "alice", Max);

        var response = await _api.Server.PutAsJsonAsync($"/api/leaderboards/{board}/scores/alice", new { score = 1 }, LeaderboardClient.Cancellation);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(Max, Assert.Single(await _api.TopAsync(board)).GetProperty("score").GetInt64());
    }

    [Fact]
    public async Task EqualPairsRankByEarlierSubmissionFirst()
    {
        var board = await _api.CreateBoardAsync();
        await _api.SubmitAsync(board, "first", 50, subscore: 1);
        await _api.SubmitAsync(board, "second", 50, subscore: 1);
        await _api.SubmitAsync(board, "third", 50, subscore: 1);
        await _api.SubmitAsync(board, "better-subscore", 50, subscore: 2);

        var top = await _api.TopAsync(board);

        Assert.Equal(["better-subscore", "first", "second", "third"], LeaderboardClient.Players(top));
        Assert.Equal([1L, 2L, 3L, 4L], top.Select(entry => entry.GetProperty("rank").GetInt64()));
    }

    [Fact]
    public async Task AscendingBoardsRankTheLowestScoreAndSubscoreFirst()
    {
        var board = await _api.CreateBoardAsync(new { sortOrder = "ascending" });
        await _api.SubmitAsync(board, "slow", 90_000);
        await _api.SubmitAsync(board, "fast", 61_000, subscore: 5);
        await _api.SubmitAsync(board, "fastest", 61_000, subscore: 2);
        var improved = await _api.SubmitAsync(board, "slow", 60_000);

        Assert.True(improved.GetProperty("changed").GetBoolean());
        Assert.Equal(1, improved.GetProperty("rank").GetInt64());
        Assert.Equal(["slow", "fastest", "fast"], LeaderboardClient.Players(await _api.TopAsync(board)));
    }

    [Fact]
    public async Task ScoresAndSubscoresAtTheRangeLimitsRankExactly()
    {
        var board = await _api.CreateBoardAsync();
        await _api.SubmitAsync(board, "min", -Max, subscore: -Max);
        await _api.SubmitAsync(board, "max", Max, subscore: Max);
        await _api.SubmitAsync(board, "max-minus-one", Max, subscore: Max - 1);
        await _api.SubmitAsync(board, "zero", 0);

        var top = await _api.TopAsync(board);

        Assert.Equal(["max", "max-minus-one", "zero", "min"], LeaderboardClient.Players(top));
        Assert.Equal([Max, Max, 0L, -Max], top.Select(entry => entry.GetProperty("score").GetInt64()));
        Assert.Equal([Max, Max - 1, 0L, -Max], top.Select(entry => entry.GetProperty("subscore").GetInt64()));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(101)]
    public async Task ScoresOutsideTheBoardsBoundsAreRejected(long score)
    {
        var board = await _api.CreateBoardAsync(new { minScore = 0, maxScore = 100 });

        var response = await _api.Server.PutAsJsonAsync($"/api/leaderboards/{board}/scores/alice", new { score }, LeaderboardClient.Cancellation);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(await _api.TopAsync(board));
    }

    [Fact]
    public async Task NewMetadataWithAnEqualPairUpdatesTheEntryButKeepsItsPlace()
    {
        var board = await _api.CreateBoardAsync();
        await _api.SubmitAsync(board, "alice", 10, metadata: new { skin = "blue" });
        await _api.SubmitAsync(board, "bob", 10);

        var updated = await _api.SubmitAsync(board, "alice", 10, metadata: new { skin = "gold" });

        Assert.True(updated.GetProperty("changed").GetBoolean());
        var top = await _api.TopAsync(board);
        Assert.Equal(["alice", "bob"], LeaderboardClient.Players(top));
        Assert.Equal("gold", top[0].GetProperty("metadata").GetProperty("skin").GetString());
    }

    [Fact]
    public async Task MetadataTravelsWithTheEntryAndIsLimitedTo2KB()
    {
        var board = await _api.CreateBoardAsync();
        await _api.SubmitAsync(board, "alice", 10, metadata: new { country = "NZ" });

        var tooBig = await _api.Server.PutAsJsonAsync($"/api/leaderboards/{board}/scores/bob", new { score = 5, metadata = new { blob = new string('x', 2100) } }, LeaderboardClient.Cancellation);

        Assert.Equal("NZ", Assert.Single(await _api.TopAsync(board)).GetProperty("metadata").GetProperty("country").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, tooBig.StatusCode);
    }
}
