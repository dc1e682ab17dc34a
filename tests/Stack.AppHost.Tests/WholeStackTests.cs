using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting.ApplicationModel;

namespace Stack.AppHost.Tests;

[Collection(AppHostCollection.Name)]
public sealed class WholeStackTests(RunningStackFixture stack)
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ScoreSubmittedThroughTheApiIsReadBackFromTheTop()
    {
        using var client = StackAppHost.ApiClient(stack.App, StackAppHost.ServerKey);
        var board = await StackAppHost.CreateBoardAsync(stack.App, "e2e");

        var submitted = await client.PutAsJsonAsync($"/api/leaderboards/{board}/scores/alice", new { score = 1234 }, TestContext.Current.CancellationToken).WaitAsync(RequestTimeout, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, submitted.StatusCode);

        using var top = JsonDocument.Parse(await client.GetStringAsync($"/api/leaderboards/{board}/top?limit=5", TestContext.Current.CancellationToken).WaitAsync(RequestTimeout, TestContext.Current.CancellationToken));
        var entry = Assert.Single(top.RootElement.GetProperty("entries").EnumerateArray());
        Assert.Equal("alice", entry.GetProperty("playerId").GetString());
        Assert.Equal(1234, entry.GetProperty("score").GetInt64());
        Assert.Equal(1, entry.GetProperty("rank").GetInt64());
    }

    [Fact]
    public async Task TheStatsWorkerOfTheGraphCountsASubmittedScore()
    {
        using var client = StackAppHost.ApiClient(stack.App, StackAppHost.ServerKey);
        var board = await StackAppHost.CreateBoardAsync(stack.App, "stats");

        var submitted = await client.PutAsJsonAsync($"/api/leaderboards/{board}/scores/alice", new { score = 77 }, TestContext.Current.CancellationToken).WaitAsync(RequestTimeout, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, submitted.StatusCode);

        // Only the leaderboard-stats resource writes stats rows: the count moves once it applied the change.
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        patience.CancelAfter(RequestTimeout);
        JsonElement stats;
        do
        {
            await Task.Delay(100, patience.Token);
            stats = await client.GetFromJsonAsync<JsonElement>($"/api/leaderboards/{board}/stats", patience.Token);
        }
        while (stats.GetProperty("entries").GetInt64() == 0);

        Assert.Equal(1, stats.GetProperty("entries").GetInt64());
        Assert.Equal(77, stats.GetProperty("maxScore").GetInt64());
    }

    [Fact]
    public async Task EveryResourceAndBothApiReplicasReportHealthyAndRunning()
    {
        // The notification stream replays every instance's current state first; a replicated
        // resource (the API and the stats worker run two each) has one instance per replica.
        var latest = new Dictionary<string, ResourceEvent>();
        using var replayWindow = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        replayWindow.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            await foreach (var update in stack.App.ResourceNotifications.WatchAsync(replayWindow.Token))
            {
                latest[update.ResourceId] = update;
            }
        }
        catch (OperationCanceledException)
        {
        }

        foreach (var name in StackAppHost.Resources)
        {
            var instances = latest.Values.Where(update => update.Resource.Name == name).ToList();
            Assert.Equal(name is "leaderboard-api" or "leaderboard-stats" ? 2 : 1, instances.Count);
            Assert.All(instances, instance =>
            {
                Assert.Equal("Running", instance.Snapshot.State?.Text);
                Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy, instance.Snapshot.HealthStatus);
            });
        }
    }
}
