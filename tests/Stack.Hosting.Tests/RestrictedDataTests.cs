using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Eventing;
using Microsoft.Extensions.DependencyInjection;

namespace Stack.Hosting.Tests;

/// <summary>In run mode too, the AppHost refuses to start a graph that references restricted data.</summary>
public sealed class RestrictedDataTests
{
    // BeforeStartEvent also reaches Aspire's own subscribers, which validate where DCP and the
    // dashboard are; nothing is started here, so any existing paths satisfy them.
    private static readonly string[] RunModeWithoutOrchestrator = ["--DcpPublisher:CliPath=/bin/true", $"--DcpPublisher:DashboardPath={Path.GetTempPath()}"];

    [Fact]
    public async Task RunModeStopsBeforeStartWhenSomethingReferencesRestrictedData()
    {
        var builder = DistributedApplication.CreateBuilder(RunModeWithoutOrchestrator);
        var payments = builder.AddExternalDatabase("payments-db", "payments-db.payments.svc.cluster.local", 5432, "payments").WithRestrictedData("payments");
        builder.AddContainer("shop", "docker.io/library/nginx", "1.27.2").WithReference(payments);
        using var app = builder.Build();

        var model = app.Services.GetRequiredService<DistributedApplicationModel>();
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            app.Services.GetRequiredService<IDistributedApplicationEventing>().PublishAsync(new BeforeStartEvent(app.Services, model), TestContext.Current.CancellationToken));

        Assert.StartsWith("Resource 'shop' references 'payments-db', which holds restricted payments data.", failure.Message);
    }

    [Fact]
    public async Task RunModeStartsWhenRestrictedDataIsDeclaredButNotReferenced()
    {
        var builder = DistributedApplication.CreateBuilder(RunModeWithoutOrchestrator);
        builder.AddExternalDatabase("payments-db", "payments-db.payments.svc.cluster.local", 5432, "payments").WithRestrictedData("payments");
        builder.AddContainer("shop", "docker.io/library/nginx", "1.27.2");
        using var app = builder.Build();

        var model = app.Services.GetRequiredService<DistributedApplicationModel>();
        await app.Services.GetRequiredService<IDistributedApplicationEventing>().PublishAsync(new BeforeStartEvent(app.Services, model), TestContext.Current.CancellationToken);
    }
}
