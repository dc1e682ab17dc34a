using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Leaderboard.Api.Tests;

/// <summary>
/// The compact index layout (variable-length members, player buckets) on a real Redis: rank order
/// and tie-breaking as the ranking rule states them, whether the index was written entry by entry
/// (the write scripts) or loaded in bulk (a rebuild), and an index left in the first layout.
/// </summary>
public sealed class RankEncodingTests(DataStoresFixture stores) : IClassFixture<DataStoresFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    // Each side of every length the member encoding switches at (one byte up to 119 and down to
    // -120, then a length byte and 1, 2, ... bytes), and the range's ends.
    private static readonly long[] Scores =
    [
        -9_007_199_254_740_991, -16_777_216, -65_657, -65_656, -377, -376, -121, -120, -2, -1,
        0, 1, 2, 119, 120, 375, 376, 65_655, 65_656, 16_777_216, 9_007_199_254_740_991,
    ];

    private readonly LeaderboardClient _api = new(stores);

    private static CancellationToken Cancellation => LeaderboardClient.Cancellation;

    [Theory]
    [InlineData("descending")]
    [InlineData("ascending")]
    public async Task ScoresOfEveryEncodedLengthRankInNumericOrderWrittenAndRebuilt(string sortOrder)
    {
        var board = await _api.CreateBoardAsync(new { sortOrder });
        // Submitted out of order, so the order read back is the index's, not the submissions'.
        foreach (var i in Enumerable.Range(0, Scores.Length).OrderBy(i => (i * 7) % Scores.Length))
        {
            await _api.SubmitAsync(board, $"s{i}", Scores[i]);
        }

        var byValue = Enumerable.Range(0, Scores.Length).Select(i => $"s{i}");
        string[] expected = [.. sortOrder == "descending" ? byValue.Reverse() : byValue];

        Assert.Equal(expected, LeaderboardClient.Players(await _api.TopAsync(board)));
        await FlushRedisAsync();
        Assert.Equal(expected, LeaderboardClient.Players(await TopOnceRebuiltAsync(board)));
    }

    [Fact]
    public async Task EqualPairsRankByEarlierSubmissionWrittenAndRebuilt()
    {
        var board = await _api.CreateBoardAsync();
        // Ties at a one-byte and at a multi-byte score, and ids that start one another.
        await _api.SubmitAsync(board, "bobby", 70_000, subscore: -3);
        await _api.SubmitAsync(board, "bob", 70_000, subscore: -3);
        await _api.SubmitAsync(board, "b", 70_000, subscore: -3);
        await _api.SubmitAsync(board, "late-small", 5);
        await _api.SubmitAsync(board, "early-small", 6);
        await _api.SubmitAsync(board, "early-small", 5); // not better: keeps 6
        await _api.SubmitAsync(board, "later-small", 6);

        string[] expected = ["bobby", "bob", "b", "early-small", "later-small", "late-small"];
        Assert.Equal(expected, LeaderboardClient.Players(await _api.TopAsync(board)));
        await FlushRedisAsync();
        Assert.Equal(expected, LeaderboardClient.Players(await TopOnceRebuiltAsync(board)));
        Assert.Equal(2, (await _api.GetJsonAsync($"/api/leaderboards/{board}/players/bob")).GetProperty("rank").GetInt64());
    }

    [Fact]
    public async Task EveryPlayerIsFoundAtItsRankAsThePlayerBucketsGrowAndAfterARebuild()
    {
        var board = await _api.CreateBoardAsync();
        // 500 players: the buckets split many times while they arrive (48 players per bucket).
        // Scores are a permutation of 0..499, so player k's rank is 500 - score(k).
        const int Players = 500;
        static long ScoreOf(int k) => (k * 193L) % Players;
        for (var k = 0; k < Players; k++)
        {
            await _api.SubmitAsync(board, $"p{k}", ScoreOf(k));
        }

        await AssertEveryRankAsync(board, Players, k => Players - ScoreOf(k));

        // Rebuilt: the buckets are laid out for the count at once; then new players split them further.
        await FlushRedisAsync();
        await TopOnceRebuiltAsync(board);
        await AssertEveryRankAsync(board, Players, k => Players - ScoreOf(k));
        for (var k = Players; k < Players + 150; k++)
        {
            await _api.SubmitAsync(board, $"p{k}", Players + k);
        }

        // The newcomers outrank everyone: player k (k ≥ 500) is at 650 - k, the others 150 lower than before.
        await AssertEveryRankAsync(board, Players + 150, k => k >= Players ? Players + 150 - k : Players + 150 - ScoreOf(k));
    }

    [Fact]
    public async Task AnIndexLeftInTheFirstLayoutIsRebuiltFromPostgresAndItsKeysRemoved()
    {
        var board = await _api.CreateBoardAsync();
        await _api.SubmitAsync(board, "alice", 10);
        await _api.SubmitAsync(board, "bob", 20);

        // As a Redis written by the previous release would hold it: the first layout's keys, ready,
        // and none of the current ones (an entry PostgreSQL does not have, to be sure it is not read).
        RedisKeyNames old = new(board);
        await using (var redis = await stores.ConnectRedisAsync())
        {
            await redis.GetServers()[0].FlushAllDatabasesAsync();
            var database = redis.GetDatabase();
            await database.SortedSetAddAsync(old.Ranking, "000000000000000000000000000000000000000000000001ghost", 0);
            await database.HashSetAsync(old.Members, "ghost", "000000000000000000000000000000000000000000000001ghost");
            await database.StringSetAsync(old.Ready, "1");
        }

        Assert.Equal(["bob", "alice"], LeaderboardClient.Players(await TopOnceRebuiltAsync(board)));
        await using (var redis = await stores.ConnectRedisAsync())
        {
            var database = redis.GetDatabase();
            Assert.False(await database.KeyExistsAsync(old.Ranking));
            Assert.False(await database.KeyExistsAsync(old.Members));
            Assert.False(await database.KeyExistsAsync(old.Ready));
        }
    }

    // The first layout's key names, spelled out as that release wrote them.
    private sealed record RedisKeyNames(string Board)
    {
        public string Ranking => $"lb:{{{Board}|all-time}}:ranking";

        public string Members => $"lb:{{{Board}|all-time}}:members";

        public string Ready => $"lb:{{{Board}|all-time}}:ready";
    }

    private async Task AssertEveryRankAsync(string board, int players, Func<int, long> expectedRank)
    {
        // The friends query finds each player through its bucket: 100 ids per request.
        foreach (var chunk in Enumerable.Range(0, players).Chunk(100))
        {
            var response = await _api.Public.PostAsJsonAsync($"/api/leaderboards/{board}/players/query", new { playerIds = chunk.Select(k => $"p{k}") }, Cancellation);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var ranks = (await response.Content.ReadFromJsonAsync<JsonElement>(Cancellation)).GetProperty("entries").EnumerateArray()
                .ToDictionary(entry => entry.GetProperty("playerId").GetString()!, entry => entry.GetProperty("rank").GetInt64());
            Assert.Equal(chunk.Length, ranks.Count);
            Assert.All(chunk, k => Assert.Equal(expectedRank(k), ranks[$"p{k}"]));
        }
    }

    private async Task FlushRedisAsync()
    {
        await using var redis = await stores.ConnectRedisAsync();
        await redis.GetServers()[0].FlushAllDatabasesAsync();
    }

    // A cold read may answer 503 + Retry-After while the rebuild runs; it is asked again until ready.
    private async Task<JsonElement[]> TopOnceRebuiltAsync(string board)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var response = await _api.Public.GetAsync($"/api/leaderboards/{board}/top?limit=100", Cancellation);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return [.. (await response.Content.ReadFromJsonAsync<JsonElement>(Cancellation)).GetProperty("entries").EnumerateArray()];
            }

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.True(DateTime.UtcNow < deadline, "The index was not rebuilt in time.");
            await Task.Delay(TimeSpan.FromMilliseconds(200), Cancellation);
        }
    }
}
