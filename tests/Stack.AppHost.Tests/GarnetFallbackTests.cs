using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Stack.Hosting.LocalInfrastructure.Redis;

namespace Stack.AppHost.Tests;

[Collection(AppHostCollection.Name)]
public sealed class GarnetFallbackTests
{
    [Fact]
    public async Task ProcessModeWithoutRedisServerRunsTheWholeStackOnGarnet()
    {
        using var data = new TemporaryDirectory();
        await using var app = await StartWithoutRedisServerAsync(data.Path);

        var model = app.Services.GetRequiredService<DistributedApplicationModel>();
        Assert.IsType<RedisProcessResource>(model.Resources.Single(resource => resource.Name == "cache"));

        // What DCP actually started, as the dashboard shows it.
        Assert.True(app.ResourceNotifications.TryGetCurrentState("cache", out var cache));
        var startedWith = Assert.IsAssignableFrom<IEnumerable<string>>(cache.Snapshot.Properties.Single(property => property.Name == "executable.args").Value);
        Assert.Contains("garnet-server", startedWith);
        Assert.Contains("--lua", startedWith);

        using var client = StackAppHost.ApiClient(app, StackAppHost.ServerKey);
        var cancellation = TestContext.Current.CancellationToken;
        var board = await StackAppHost.CreateBoardAsync(app, "garnet");
        foreach (var (player, score) in new[] { ("bob", 77), ("alice", 50), ("bob", 90) })
        {
            var submitted = await client.PutAsJsonAsync($"/api/leaderboards/{board}/scores/{player}", new { score }, cancellation);
            Assert.Equal(HttpStatusCode.OK, submitted.StatusCode);
        }

        // Paging runs the index's Lua scripts on Garnet: a first page, then the next one by cursor.
        using var first = JsonDocument.Parse(await client.GetStringAsync($"/api/leaderboards/{board}/top?limit=1", cancellation));
        var leader = Assert.Single(first.RootElement.GetProperty("entries").EnumerateArray());
        Assert.Equal("bob", leader.GetProperty("playerId").GetString());
        Assert.Equal(90, leader.GetProperty("score").GetInt64());

        var cursor = first.RootElement.GetProperty("nextCursor").GetString();
        using var second = JsonDocument.Parse(await client.GetStringAsync($"/api/leaderboards/{board}/top?limit=1&cursor={cursor}", cancellation));
        var runnerUp = Assert.Single(second.RootElement.GetProperty("entries").EnumerateArray());
        Assert.Equal("alice", runnerUp.GetProperty("playerId").GetString());
        Assert.Equal(2, runnerUp.GetProperty("rank").GetInt64());
    }

    // The AppHost chooses its programs from PATH while building the graph; PATH is restored once the stack is up.
    private static async Task<DistributedApplication> StartWithoutRedisServerAsync(string dataDirectory)
    {
        using var path = PathWithout.ForThisProcess("redis-server");
        return await StackAppHost.StartAsync(dataDirectory, ["--Stack:LocalInfrastructure=processes"]);
    }
}
