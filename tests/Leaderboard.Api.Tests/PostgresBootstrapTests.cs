using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Leaderboard.Api.Tests;

/// <summary>
/// The process-mode PostgreSQL that the fixture runs with the AppHost's own code: its set-up over the
/// Unix socket (password, databases) runs once per start of the server, however often health is checked.
/// </summary>
public sealed class PostgresBootstrapTests(DataStoresFixture stores) : IClassFixture<DataStoresFixture>
{
    private const string Bootstrapped = "Bootstrapped PostgreSQL";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheServerIsBootstrappedOncePerStartHoweverOftenItsHealthIsChecked()
    {
        await CheckHealthConcurrentlyAsync();
        var logs = await stores.ResourceLogAsync("postgres");
        AssertBootstrappedTimes(1, logs);
        Assert.DoesNotContain(logs, line => line.Contains("tuple concurrently updated", StringComparison.Ordinal));

        // A restart is a new server process, which is bootstrapped again: once.
        var commands = stores.DataStores.Services.GetRequiredService<ResourceCommandService>();
        var restarted = await commands.ExecuteCommandAsync("postgres", KnownResourceCommands.RestartCommand, Cancellation).WaitAsync(Patience, Cancellation);
        Assert.True(restarted.Success, restarted.Message);
        await stores.DataStores.ResourceNotifications.WaitForResourceAsync("postgres", KnownResourceStates.Running, Cancellation).WaitAsync(Patience, Cancellation);

        await CheckHealthConcurrentlyAsync();
        logs = await stores.ResourceLogAsync("postgres");
        AssertBootstrappedTimes(2, logs);
        Assert.DoesNotContain(logs, line => line.Contains("tuple concurrently updated", StringComparison.Ordinal));
    }

    // The whole log goes with a failure: it shows which starts (and restarts) the bootstraps followed.
    private static void AssertBootstrappedTimes(int expected, List<string> logs) =>
        Assert.True(
            logs.Count(line => line.Contains(Bootstrapped, StringComparison.Ordinal)) == expected,
            $"Expected {expected} bootstrap(s) in the server's log:{Environment.NewLine}{string.Join(Environment.NewLine, logs)}");

    // Once the server answers (after a restart it needs a moment to listen), rounds of four checks at
    // once, as Aspire's health monitor, WaitFor and the dashboard overlap.
    private async Task CheckHealthConcurrentlyAsync()
    {
        var health = stores.DataStores.Services.GetRequiredService<HealthCheckService>();
        Task<HealthReport> CheckAsync() => health.CheckHealthAsync(registration => registration.Name == "postgres_check", Cancellation);

        var deadline = DateTime.UtcNow + Patience;
        while ((await CheckAsync()).Status != HealthStatus.Healthy)
        {
            Assert.True(DateTime.UtcNow < deadline, $"postgres did not become healthy within {Patience}.");
            await Task.Delay(TimeSpan.FromMilliseconds(500), Cancellation);
        }

        for (var round = 0; round < 3; round++)
        {
            var reports = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => CheckAsync()));
            Assert.All(reports, report => Assert.True(report.Status == HealthStatus.Healthy, report.Entries["postgres_check"].Description));
        }
    }
}
