using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;

namespace Stack.AppHost.Tests;

/// <summary>The deploy tooling in the dashboard: the GitOps environment and the policy gate, with their commands.</summary>
[Collection(AppHostCollection.Name)]
public sealed class DeploymentResourcesTests(RunningStackFixture stack)
{
    [Fact]
    public async Task ThePolicyGateChecksTheCommittedOverlaysAtStartAndOnCommand()
    {
        await ResourceCommands.WaitForStateAsync(stack.App, "policy-gate", "Passed");

        var result = await ResourceCommands.ExecuteAsync(stack.App, "policy-gate", PolicyGateBuilderExtensions.CommandName);

        Assert.True(result.Success, result.Message);
        Assert.Equal("Passed", ResourceCommands.StateOf(stack.App, "policy-gate"));

        // Every environment committed in infra/deploy/overlays was judged, and none broke a rule.
        var environments = Directory.GetDirectories(Path.Combine(Repository.Root, "infra", "deploy", "overlays")).Length;
        Assert.True(environments > 0, "infra/deploy/overlays holds no environment.");
        var logs = await ResourceCommands.LogsAsync(stack.App, "policy-gate");
        Assert.Contains(logs, line => line.Contains("Passed: ", StringComparison.Ordinal) && line.Contains($"in {environments} environments, no violations", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheGitOpsEnvironmentReportsThatTheCommittedTreeIsUpToDate()
    {
        var result = await ResourceCommands.ExecuteAsync(stack.App, "gitops", DriftCheckCommandExtensions.CommandName);

        Assert.True(result.Success, result.Message);
        Assert.Equal("Up to date", ResourceCommands.StateOf(stack.App, "gitops"));
        Assert.Contains(await ResourceCommands.LogsAsync(stack.App, "gitops"), line => line.Contains("is up to date", StringComparison.Ordinal));
    }

    [Fact]
    public void PaymentsDataIsDeclaredAndShownButNothingReferencesIt()
    {
        var model = stack.App.Services.GetRequiredService<DistributedApplicationModel>();
        var payments = model.Resources.Single(r => r.Name == "payments-db");

        Assert.True(payments.TryGetLastAnnotation<Stack.Hosting.RestrictedData.RestrictedDataAnnotation>(out var restricted));
        Assert.Equal("payments", restricted.Classification);
        Assert.DoesNotContain(model.Resources, r => r.Annotations.OfType<ResourceRelationshipAnnotation>().Any(a => a.Resource == payments));

        // The AppHost started with it declared: the dashboard lists it as an external resource.
        Assert.Equal("External", ResourceCommands.StateOf(stack.App, "payments-db"));
    }
}
