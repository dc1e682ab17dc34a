using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;

namespace Leaderboard.Api.Tests;

/// <summary>
/// Process mode heals itself: a Redis server that dies (killed, not stopped) is started again by
/// the AppHost, and the API, which was never restarted, reads again by itself.
/// </summary>
public sealed class ProcessHealingTests(DataStoresFixture stores) : IClassFixture<DataStoresFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private readonly LeaderboardClient _api = new(stores);

    private static CancellationToken Cancellation => LeaderboardClient.Cancellation;

    [Fact]
    public async Task AKilledRedisServerIsRestartedAndReadsComeBackWithoutRestartingTheApi()
    {
        var board = await _api.CreateBoardAsync();
        await _api.SubmitAsync(board, "before", 1);
        Assert.Single(await _api.TopAsync(board));

        var pid = await RunningPidAsync("cache", previous: null);
        using (var server = Process.GetProcessById(pid))
        {
            server.Kill();
            await server.WaitForExitAsync(Cancellation).WaitAsync(Patience, Cancellation);
        }

        // Writes go on meanwhile (rank null while the index is away), and are never lost.
        await _api.SubmitAsync(board, "during", 2);
        var restarted = await RunningPidAsync("cache", previous: pid);
        Assert.NotEqual(pid, restarted);

        var deadline = DateTime.UtcNow + Patience;
        HttpResponseMessage read;
        while ((read = await _api.Public.GetAsync($"/api/leaderboards/{board}/top", Cancellation)).StatusCode != HttpStatusCode.OK)
        {
            Assert.True(DateTime.UtcNow < deadline, $"Reads did not come back after Redis was restarted: {(int)read.StatusCode}");
            await Task.Delay(250, Cancellation);
        }

        var entries = (await read.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(Cancellation)).GetProperty("entries").EnumerateArray();
        Assert.Equal(["during", "before"], LeaderboardClient.Players(entries));
    }

    [Fact]
    public async Task AServerSomeoneStartedAgainBeforeTheWatcherWouldIsNotRestartedASecondTime()
    {
        var pid = await RunningPidAsync("cache", previous: null);
        using (var server = Process.GetProcessById(pid))
        {
            server.Kill();
            await server.WaitForExitAsync(Cancellation).WaitAsync(Patience, Cancellation);
        }

        // Started by hand (as the dashboard's Restart does) before the watcher's first delay is over.
        await stores.DataStores.ResourceNotifications.WaitForResourceAsync(
            "cache", update => KnownResourceStates.TerminalStates.Contains(update.Snapshot.State?.Text), Cancellation).WaitAsync(Patience, Cancellation);
        var started = await stores.DataStores.Services.GetRequiredService<ResourceCommandService>()
            .ExecuteCommandAsync("cache", KnownResourceCommands.StartCommand, Cancellation).WaitAsync(Patience, Cancellation);
        Assert.True(started.Success, started.Message);
        var startedByHand = await RunningPidAsync("cache", previous: pid);

        // The watcher, once its delay is over, finds it running and leaves that process alone.
        await WaitForLogLineAsync("cache", "was started again meanwhile");
        Assert.Equal(startedByHand, await RunningPidAsync("cache", previous: null));
    }

    private async Task WaitForLogLineAsync(string resourceName, string text)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!(await stores.ResourceLogAsync(resourceName)).Any(line => line.Contains(text, StringComparison.Ordinal)))
        {
            Assert.True(DateTime.UtcNow < deadline, $"'{resourceName}' never logged '{text}'.");
            await Task.Delay(250, Cancellation);
        }
    }

    private async Task<int> RunningPidAsync(string resource, int? previous)
    {
        var running = await stores.DataStores.ResourceNotifications.WaitForResourceAsync(
            resource,
            update => update.Snapshot.State?.Text == KnownResourceStates.Running && Pid(update.Snapshot) is { } pid && pid != previous,
            Cancellation).WaitAsync(Patience, Cancellation);
        return Pid(running.Snapshot)!.Value;
    }

    private static int? Pid(CustomResourceSnapshot snapshot) =>
        snapshot.Properties.FirstOrDefault(property => property.Name == "executable.pid")?.Value is { } value
        && int.TryParse(value.ToString(), System.Globalization.CultureInfo.InvariantCulture, out var pid) ? pid : null;
}
