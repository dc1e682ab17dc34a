using Aspire.Hosting;

namespace Stack.Hosting.Tests;

/// <summary>
/// In run mode too, the AppHost refuses to start a graph that references restricted data. That an
/// AppHost declaring restricted data without referencing it starts is shown by the real AppHost
/// (Stack.AppHost.Tests: DeploymentResourcesTests), which needs DCP this project does not have.
/// </summary>
public sealed class RestrictedDataTests
{
    // No orchestrator here: were the check to let the graph through, the start would wait for a DCP
    // that never answers, and the test would fail on its timeout instead of the expected refusal.
    private static readonly string[] RunModeWithoutOrchestrator = ["--DcpPublisher:CliPath=/bin/true", $"--DcpPublisher:DashboardPath={Path.GetTempPath()}"];

    [Fact]
    public async Task RunModeStopsBeforeStartWhenSomethingReferencesRestrictedData()
    {
        var builder = DistributedApplication.CreateBuilder(new DistributedApplicationOptions { Args = RunModeWithoutOrchestrator, DisableDashboard = true });
        var payments = builder.AddExternalDatabase("payments-db", "payments-db.payments.svc.cluster.local", 5432, "payments").WithRestrictedData("payments");
        builder.AddContainer("shop", "docker.io/library/nginx", "1.27.2").WithReference(payments);
        using var app = builder.Build();

        // The AppHost's own start, as `builder.Build().Run()` begins it.
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            app.StartAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken));

        Assert.StartsWith("Resource 'shop' references 'payments-db', which holds restricted payments data.", failure.Message);
    }
}
