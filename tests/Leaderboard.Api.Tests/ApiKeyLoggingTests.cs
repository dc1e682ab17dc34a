using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Logging;

namespace Leaderboard.Api.Tests;

/// <summary>The API with every log entry of every category and level captured.</summary>
public sealed class FullyLoggedDataStoresFixture : DataStoresFixture
{
    protected override (string? Category, LogLevel Level) CapturedLogs => (null, LogLevel.Trace);
}

public sealed class ApiKeyLoggingTests(FullyLoggedDataStoresFixture stores) : IClassFixture<FullyLoggedDataStoresFixture>
{
    // A key nobody holds, presented like one: a client's mistyped or foreign key is not logged either.
    private const string WrongKey = "wrong-key-presented-7f3e9c1a5b2d";

    private static CancellationToken Cancellation => LeaderboardClient.Cancellation;

    [Fact]
    public async Task NoLogEntryHoldsAKeyPresentedRightOrWrong()
    {
        var api = new LeaderboardClient(stores);
        using var wrong = stores.Client(WrongKey);
        var board = await api.CreateBoardAsync();

        // Every path a key takes: accepted for writes, accepted for admin work, refused, and forbidden.
        Assert.Equal(HttpStatusCode.OK, (await api.Server.PutAsJsonAsync($"/api/leaderboards/{board}/scores/alice", new { score = 1 }, Cancellation)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.Admin.PutAsJsonAsync($"/api/leaderboards/{board}/scores/bob", new { score = 2 }, Cancellation)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await api.Admin.PostAsync($"/api/leaderboards/{board}/index/rebuild", null, Cancellation)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await api.Admin.DeleteAsync($"/api/leaderboards/{board}/scores/bob", Cancellation)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.PutAsJsonAsync($"/api/leaderboards/{board}/scores/alice", new { score = 3 }, Cancellation)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.DeleteAsync($"/api/leaderboards/{board}", Cancellation)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.Server.DeleteAsync($"/api/leaderboards/{board}", Cancellation)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.Server.PutAsJsonAsync($"/api/leaderboards/{LeaderboardClient.NewBoardId()}/scores/alice", new { score = 1 }, Cancellation)).StatusCode);

        var entries = stores.Logs.Entries;
        // The capture saw these requests (the request lines name the board), so an absence below means something.
        Assert.Contains(entries, entry => entry.AllText.Contains(board, StringComparison.Ordinal));
        foreach (var key in new[] { DataStoresFixture.ServerKey, DataStoresFixture.AdminKey, WrongKey })
        {
            var leak = entries.FirstOrDefault(entry => entry.AllText.Contains(key, StringComparison.Ordinal));
            Assert.True(leak is null, $"A {leak?.Level} entry of {leak?.Category} holds a key: {leak?.AllText}");
        }
    }
}
