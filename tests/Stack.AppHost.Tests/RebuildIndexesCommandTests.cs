using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Stack.AppHost.Tests;

[Collection(AppHostCollection.Name)]
public sealed class RebuildIndexesCommandTests(RunningStackFixture stack)
{
    [Fact]
    public async Task TheDashboardCommandRebuildsAnIndexThatLostEntries()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var board = await StackAppHost.CreateBoardAsync(stack.App, "rebuild");
        using var server = StackAppHost.ApiClient(stack.App, StackAppHost.ServerKey);
        Assert.Equal(HttpStatusCode.OK, (await server.PutAsJsonAsync($"/api/leaderboards/{board}/scores/alice", new { score = 5 }, cancellation)).StatusCode);

        // Lose alice from the index behind the API's back, as a crashed or restored Redis might.
        await using (var redis = await ConnectionMultiplexer.ConnectAsync((await stack.App.GetConnectionStringAsync("cache", cancellation))!))
        {
            // The period's sorted set (key layout 2, see Leaderboard.Api's IndexKeys).
            await redis.GetDatabase().KeyDeleteAsync($"lb:{{{board}|all-time}}:2:rank");
        }

        Assert.Empty(await TopAsync(board));

        var model = stack.App.Services.GetRequiredService<DistributedApplicationModel>();
        var api = model.Resources.Single(resource => resource.Name == "leaderboard-api");
        var result = await stack.App.Services.GetRequiredService<ResourceCommandService>()
            .ExecuteCommandAsync(api, RebuildIndexesCommandExtensions.CommandName, cancellation);

        Assert.True(result.Success, result.Message);
        Assert.Equal("alice", Assert.Single(await TopAsync(board)).GetProperty("playerId").GetString());
    }

    private async Task<JsonElement[]> TopAsync(string board)
    {
        using var client = StackAppHost.ApiClient(stack.App);
        var body = await client.GetFromJsonAsync<JsonElement>($"/api/leaderboards/{board}/top", TestContext.Current.CancellationToken);
        return [.. body.GetProperty("entries").EnumerateArray()];
    }
}
