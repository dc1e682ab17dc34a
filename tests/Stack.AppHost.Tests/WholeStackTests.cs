using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Stack.Hosting.LocalInfrastructure;
using Stack.Hosting.LocalInfrastructure.Postgres;
using Stack.Hosting.LocalInfrastructure.Redis;

namespace Stack.AppHost.Tests;

[Collection(AppHostCollection.Name)]
public sealed class WholeStackTests(RunningStackFixture stack)
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ScoreSubmittedThroughTheApiIsReadBackFromTheTop()
    {
        using var client = stack.App.CreateHttpClient("leaderboard-api", "http");
        var board = $"e2e-{Guid.NewGuid():N}";

        var submitted = await client.PutAsJsonAsync($"/api/leaderboards/{board}/scores/alice", new { score = 1234 }, TestContext.Current.CancellationToken).WaitAsync(RequestTimeout, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, submitted.StatusCode);

        using var top = JsonDocument.Parse(await client.GetStringAsync($"/api/leaderboards/{board}/top?limit=5", TestContext.Current.CancellationToken).WaitAsync(RequestTimeout, TestContext.Current.CancellationToken));
        var entry = Assert.Single(top.RootElement.GetProperty("entries").EnumerateArray());
        Assert.Equal("alice", entry.GetProperty("playerId").GetString());
        Assert.Equal(1234, entry.GetProperty("score").GetInt64());
        Assert.Equal(1, entry.GetProperty("rank").GetInt64());
    }

    [Fact]
    public async Task EveryResourceReportsHealthyAndRunning()
    {
        foreach (var name in StackAppHost.Resources)
        {
            Assert.True(stack.App.ResourceNotifications.TryGetCurrentState(name, out var state), $"{name} has no state");
            Assert.Equal(KnownResourceStates.Running, state.Snapshot.State?.Text);
            Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy, state.Snapshot.HealthStatus);
        }

        await Task.CompletedTask;
    }

    [Fact]
    public void AutoModeRunsLocalProcessesWhenNoContainerRuntimeAnswers()
    {
        var model = stack.App.Services.GetRequiredService<DistributedApplicationModel>();
        var cache = model.Resources.Single(resource => resource.Name == "cache");
        var postgres = model.Resources.Single(resource => resource.Name == "postgres");

        if (ContainerRuntimeProbe.FindHealthyRuntime() is null)
        {
            Assert.IsType<RedisProcessResource>(cache);
            Assert.IsType<PostgresProcessResource>(postgres);
        }
        else
        {
            Assert.True(cache.IsContainer());
            Assert.True(postgres.IsContainer());
        }
    }
}
