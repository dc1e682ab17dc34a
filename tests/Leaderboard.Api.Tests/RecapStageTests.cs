using System.Text.Json;
using Leaderboard.Recaps;
using Leaderboard.Stats.Feed;
using Leaderboard.Stats.Recaps;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Stack.Dspy.Models;
using Stack.Dspy.Modules;

namespace Leaderboard.Api.Tests;

/// <summary>
/// The worker's recap stage on real PostgreSQL, fed by the real API and the real stats: the digest
/// the model is given, a faithful recap published and served, an unfaithful one never stored. The
/// model is DSPy's DummyLM (ScriptedChatClient): no test needs a network model.
/// </summary>
public sealed class RecapStageTests(DataStoresFixture stores) : IClassFixture<DataStoresFixture>
{
    private readonly LeaderboardClient _client = new(stores);

    private NpgsqlDataSource Database => stores.Api.Services.GetRequiredService<NpgsqlDataSource>();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    /// <summary>A board with the StatsApiTests records (a 60, b 20, c 30, d 40, e 50), its stats applied.</summary>
    private async Task<string> BoardWithStatsAsync()
    {
        var boardId = await _client.CreateBoardAsync();
        foreach (var (player, score) in new[] { ("a", 10L), ("b", 20L), ("c", 30L), ("d", 40L), ("e", 50L), ("a", 60L), ("b", 5L) })
        {
            await _client.SubmitAsync(boardId, player, score);
        }

        while (await new ChangeApplier(Database).ApplyNextAsync(boardId, Cancellation) > 0)
        {
        }

        return boardId;
    }

    private static JsonElement DigestOf(IReadOnlyList<ChatMessage> request) => JsonDocument.Parse(request[^1].Text).RootElement;

    /// <summary>A model that recaps each digest it is given, faithfully unless its board is in <paramref name="inventFor"/>.</summary>
    private static ScriptedChatClient Model(params string[] inventFor) => new(request =>
    {
        var digest = DigestOf(request);
        var (leader, score) = (digest.GetProperty("leader").GetString(), digest.GetProperty("leaderScore").GetInt64());
        var recap = inventFor.Contains(digest.GetProperty("board").GetString())
            ? new Recap($"@{leader} leads with {score + 1}", [$"{digest.GetProperty("entries").GetInt64()} players took part."])
            : new Recap($"@{leader} leads with {score}", [$"{digest.GetProperty("entries").GetInt64()} players took part."]);
        return StructuredOutput.SerializeWithReasoning(recap, "read from the digest");
    });

    private RecapStage Stage(IChatClient model) =>
        new(Database, new RecapWriter(model, RecapProgram.LoadShipped()), NullLogger<RecapStage>.Instance);

    [Fact]
    public async Task AFaithfulRecapIsPublishedWithTheStatsAndNotAskedForAgainUntilDue()
    {
        var boardId = await BoardWithStatsAsync();
        var model = Model();

        await Stage(model).WriteDueAsync(Cancellation);

        // The digest the model was given is the board's stats, as the stats endpoint serves them.
        var digest = DigestOf(model.Requests.Single(request => DigestOf(request).GetProperty("board").GetString() == boardId));
        Assert.Equal(5, digest.GetProperty("entries").GetInt64());
        Assert.Equal(20, digest.GetProperty("minScore").GetInt64());
        Assert.Equal(60, digest.GetProperty("maxScore").GetInt64());
        Assert.Equal(40, digest.GetProperty("meanScore").GetDouble());
        Assert.Equal(["a", "b", "c", "d", "e", "a"], digest.GetProperty("newLeaders").EnumerateArray().Select(player => player.GetString()));
        Assert.Equal("[{\"player\":\"a\",\"positions\":4}]", digest.GetProperty("climbers").GetRawText());

        var recap = (await _client.GetJsonAsync($"/api/leaderboards/{boardId}/stats")).GetProperty("recap");
        Assert.Equal("@a leads with 60", recap.GetProperty("headline").GetString());
        Assert.Equal(["5 players took part."], recap.GetProperty("highlights").EnumerateArray().Select(text => text.GetString()));

        // Recapped moments ago: not due again, even once the stats move.
        await _client.SubmitAsync(boardId, "f", 70);
        while (await new ChangeApplier(Database).ApplyNextAsync(boardId, Cancellation) > 0)
        {
        }

        var asked = model.Requests.Count;
        await Stage(model).WriteDueAsync(Cancellation);
        Assert.DoesNotContain(model.Requests.Skip(asked), request => DigestOf(request).GetProperty("board").GetString() == boardId);

        // Due again at once when the interval is over.
        await new RecapStage(Database, new RecapWriter(model, RecapProgram.LoadShipped()), NullLogger<RecapStage>.Instance) { MinimumInterval = TimeSpan.Zero }.WriteDueAsync(Cancellation);
        Assert.Equal("@f leads with 70", (await _client.GetJsonAsync($"/api/leaderboards/{boardId}/stats")).GetProperty("recap").GetProperty("headline").GetString());
    }

    [Fact]
    public async Task ARecapThatFailsTheMetricIsNeverStored()
    {
        var boardId = await BoardWithStatsAsync();

        var model = Model(inventFor: boardId);
        await Stage(model).WriteDueAsync(Cancellation);

        // Refused, and not asked for again until the stats move and the interval is over.
        var asked = model.Requests.Count;
        await Stage(model).WriteDueAsync(Cancellation);
        Assert.Equal(asked, model.Requests.Count);

        await using var command = Database.CreateCommand("SELECT count(*) FROM stats_recaps WHERE board_id = $1");
        command.Parameters.AddWithValue(boardId);
        Assert.Equal(0L, await command.ExecuteScalarAsync(Cancellation));
        Assert.Equal(JsonValueKind.Null, (await _client.GetJsonAsync($"/api/leaderboards/{boardId}/stats")).GetProperty("recap").ValueKind);
    }
}
