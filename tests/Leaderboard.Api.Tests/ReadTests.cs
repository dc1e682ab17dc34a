using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Leaderboard.Api.Tests;

public sealed class ReadTests(DataStoresFixture stores) : IClassFixture<DataStoresFixture>
{
    private readonly LeaderboardClient _api = new(stores);

    private static CancellationToken Cancellation => LeaderboardClient.Cancellation;

    [Fact]
    public async Task CursorPagesReadOneSnapshotOfThousandsOfEntriesWhileWritesGoOn()
    {
        var board = await _api.CreateBoardAsync();
        const int players = 3000;
        await Parallel.ForEachAsync(Enumerable.Range(0, players), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = Cancellation }, async (i, _) =>
            await _api.SubmitAsync(board, $"p{i:D5}", i * 10));

        var seen = new List<string>();
        var ranks = new List<long>();
        async Task<string?> ReadPageAsync(string? cursor)
        {
            var page = await _api.GetJsonAsync($"/api/leaderboards/{board}/top?limit=100{(cursor is null ? string.Empty : $"&cursor={cursor}")}");
            var entries = page.GetProperty("entries").EnumerateArray().ToArray();
            seen.AddRange(LeaderboardClient.Players(entries));
            ranks.AddRange(entries.Select(entry => entry.GetProperty("rank").GetInt64()));
            return page.GetProperty("nextCursor").GetString();
        }

        // The first page fixes the snapshot; only then do newcomers arrive and existing players
        // climb past the cursor, while the remaining pages are read.
        var cursor = await ReadPageAsync(null);
        using var stopWriting = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            for (var i = 0; !stopWriting.IsCancellationRequested; i++)
            {
                await _api.SubmitAsync(board, $"new{i:D5}", (i * 37 % players) * 10 + 5);
                await _api.SubmitAsync(board, $"p{i * 7 % players:D5}", players * 10 + i);
            }
        }, Cancellation);

        while (cursor is not null)
        {
            cursor = await ReadPageAsync(cursor);
        }

        await stopWriting.CancelAsync();
        await writer;

        // The pages read the board as it stood at the first page: every player once, in that order.
        Assert.Equal(Enumerable.Range(0, players).Reverse().Select(i => $"p{i:D5}"), seen);
        Assert.Equal(Enumerable.Range(1, players).Select(rank => (long)rank), ranks);
        // ...although the board itself moved on meanwhile: a climber leads it now.
        Assert.True((await _api.TopAsync(board, 1))[0].GetProperty("score").GetInt64() >= players * 10);
    }

    [Fact]
    public async Task ACursorOlderThanAnIndexRebuildThatForgotMovesIsGone()
    {
        var board = await _api.CreateBoardAsync();
        for (var i = 0; i < 3; i++)
        {
            await _api.SubmitAsync(board, $"p{i}", i);
        }

        var cursor = (await _api.GetJsonAsync($"/api/leaderboards/{board}/top?limit=2")).GetProperty("nextCursor").GetString();
        await _api.SubmitAsync(board, "p0", 100);
        Assert.Equal(HttpStatusCode.Accepted, (await _api.Admin.PostAsync($"/api/leaderboards/{board}/index/rebuild", null, Cancellation)).StatusCode);

        var response = await _api.Public.GetAsync($"/api/leaderboards/{board}/top?limit=2&cursor={cursor}", Cancellation);

        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ACursorChainReadsOnThrough100000MovesOfThePeriodAndIsGoneAfterOneMore()
    {
        var board = await _api.CreateBoardAsync();
        await _api.SubmitAsync(board, "alice", 30);
        await _api.SubmitAsync(board, "bob", 20);
        await _api.SubmitAsync(board, "carol", 10);
        var cursor = (await _api.GetJsonAsync($"/api/leaderboards/{board}/top?limit=1")).GetProperty("nextCursor").GetString();

        // Carol changes her record 100,000 times after the first page: each change moves her out
        // of the place she held. Driven through the service's own index writes, in bulk, because
        // 100,000 HTTP submissions would take minutes; the cursor is read through the API only.
        var moves = new IndexMoves(stores, board, "carol");
        await moves.MakeAsync(100_000);
        var page = await _api.Public.GetAsync($"/api/leaderboards/{board}/top?limit=2&cursor={cursor}", Cancellation);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var entries = (await page.Content.ReadFromJsonAsync<JsonElement>(Cancellation)).GetProperty("entries").EnumerateArray().ToArray();
        Assert.Equal(["bob", "carol"], LeaderboardClient.Players(entries));
        Assert.Equal([2L, 3L], entries.Select(entry => entry.GetProperty("rank").GetInt64()));

        await moves.MakeAsync(1);
        var gone = await _api.Public.GetAsync($"/api/leaderboards/{board}/top?limit=2&cursor={cursor}", Cancellation);

        Assert.Equal(HttpStatusCode.Gone, gone.StatusCode);
        Assert.Equal("application/problem+json", gone.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ACursorFromAnotherBoardIsRejected()
    {
        var board = await _api.CreateBoardAsync();
        var other = await _api.CreateBoardAsync();
        for (var i = 0; i < 3; i++)
        {
            await _api.SubmitAsync(board, $"p{i}", i);
        }

        var page = await _api.GetJsonAsync($"/api/leaderboards/{board}/top?limit=2");
        var cursor = page.GetProperty("nextCursor").GetString();

        var response = await _api.Public.GetAsync($"/api/leaderboards/{other}/top?limit=2&cursor={cursor}", Cancellation);
        var garbage = await _api.Public.GetAsync($"/api/leaderboards/{board}/top?cursor=not-a-cursor", Cancellation);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, garbage.StatusCode);
    }

    [Fact]
    public async Task APlayersEntryIsFoundAndAnUnknownPlayerIs404()
    {
        var board = await _api.CreateBoardAsync();
        await _api.SubmitAsync(board, "alice", 10);
        await _api.SubmitAsync(board, "bob", 20);

        var alice = await _api.GetJsonAsync($"/api/leaderboards/{board}/players/alice");
        var nobody = await _api.Public.GetAsync($"/api/leaderboards/{board}/players/nobody", Cancellation);

        Assert.Equal(2, alice.GetProperty("rank").GetInt64());
        Assert.Equal(10, alice.GetProperty("score").GetInt64());
        Assert.Equal(HttpStatusCode.NotFound, nobody.StatusCode);
    }

    [Fact]
    public async Task AroundMeIsClippedAtTheTopAndBottomEdges()
    {
        var board = await _api.CreateBoardAsync();
        for (var i = 1; i <= 10; i++)
        {
            await _api.SubmitAsync(board, $"p{i:D2}", 100 - i); // p01 ranks first
        }

        var atTop = await Around(board, "p01", 2);
        var middle = await Around(board, "p05", 2);
        var atBottom = await Around(board, "p10", 3);

        Assert.Equal(["p01", "p02", "p03"], LeaderboardClient.Players(atTop));
        Assert.Equal(["p03", "p04", "p05", "p06", "p07"], LeaderboardClient.Players(middle));
        Assert.Equal([3L, 4L, 5L, 6L, 7L], middle.Select(entry => entry.GetProperty("rank").GetInt64()));
        Assert.Equal(["p07", "p08", "p09", "p10"], LeaderboardClient.Players(atBottom));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(51)]
    public async Task AroundRejectsARadiusOutsideOneToFifty(int radius)
    {
        var board = await _api.CreateBoardAsync();
        await _api.SubmitAsync(board, "alice", 1);

        var response = await _api.Public.GetAsync($"/api/leaderboards/{board}/players/alice/around?radius={radius}", Cancellation);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task AFriendsQuerySortsByRankAndLeavesOutUnknownIds()
    {
        var board = await _api.CreateBoardAsync();
        await _api.SubmitAsync(board, "alice", 10);
        await _api.SubmitAsync(board, "bob", 30);
        await _api.SubmitAsync(board, "carol", 20);
        await _api.SubmitAsync(board, "stranger", 40);

        var response = await _api.Public.PostAsJsonAsync($"/api/leaderboards/{board}/players/query", new { playerIds = new[] { "alice", "ghost", "bob", "carol" } }, Cancellation);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Cancellation);
        var entries = body.GetProperty("entries").EnumerateArray().ToArray();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["bob", "carol", "alice"], LeaderboardClient.Players(entries));
        Assert.Equal([2L, 3L, 4L], entries.Select(entry => entry.GetProperty("rank").GetInt64()));
    }

    [Fact]
    public async Task AFriendsQueryOfMoreThan100IdsIsRejected()
    {
        var board = await _api.CreateBoardAsync();

        var response = await _api.Public.PostAsJsonAsync($"/api/leaderboards/{board}/players/query", new { playerIds = Enumerable.Range(0, 101).Select(i => $"p{i}") }, Cancellation);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private async Task<JsonElement[]> Around(string board, string player, int radius) =>
        [.. (await _api.GetJsonAsync($"/api/leaderboards/{board}/players/{player}/around?radius={radius}")).GetProperty("entries").EnumerateArray()];
}
