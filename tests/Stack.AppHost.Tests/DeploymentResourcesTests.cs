using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;

namespace Stack.AppHost.Tests;

/// <summary>The deploy tooling in the dashboard: the GitOps environment and the policy gate, with their commands.</summary>
[Collection(AppHostCollection.Name)]
public sealed class DeploymentResourcesTests(RunningStackFixture stack)
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task ThePolicyGateChecksTheCommittedOverlaysAtStartAndOnCommand()
    {
        var cancellation = TestContext.Current.CancellationToken;
        await stack.App.ResourceNotifications
            .WaitForResourceAsync("policy-gate", PolicyGateBuilderExtensions.PassedState, cancellation)
            .WaitAsync(CommandTimeout, cancellation);

        var result = await ExecuteAsync("policy-gate", PolicyGateBuilderExtensions.CommandName);

        Assert.True(result.Success, result.Message);
        Assert.True(stack.App.ResourceNotifications.TryGetCurrentState("policy-gate", out var gate));
        Assert.Equal(PolicyGateBuilderExtensions.PassedState, gate.Snapshot.State?.Text);
        var logs = await LogsAsync("policy-gate");
        Assert.Contains(logs, line => line.Contains("Passed: ", StringComparison.Ordinal) && line.Contains("in 3 environments, no violations", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheGitOpsEnvironmentReportsThatTheCommittedTreeIsUpToDate()
    {
        var result = await ExecuteAsync("gitops", DriftCheckCommandExtensions.CommandName);

        Assert.True(result.Success, result.Message);
        Assert.True(stack.App.ResourceNotifications.TryGetCurrentState("gitops", out var gitops));
        Assert.Equal(DriftCheckCommandExtensions.UpToDateState, gitops.Snapshot.State?.Text);
        Assert.Contains(await LogsAsync("gitops"), line => line.Contains("is up to date", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PaymentsDataIsDeclaredButNothingReferencesIt()
    {
        var model = stack.App.Services.GetRequiredService<DistributedApplicationModel>();
        var payments = model.Resources.Single(r => r.Name == "payments-db");

        Assert.True(payments.TryGetLastAnnotation<Stack.Hosting.RestrictedData.RestrictedDataAnnotation>(out var restricted));
        Assert.Equal("payments", restricted.Classification);
        Assert.DoesNotContain(model.Resources, r => r.Annotations.OfType<ResourceRelationshipAnnotation>().Any(a => a.Resource == payments));
    }

    private async Task<ExecuteCommandResult> ExecuteAsync(string resourceName, string command)
    {
        var resource = stack.App.Services.GetRequiredService<DistributedApplicationModel>().Resources.Single(r => r.Name == resourceName);
        return await stack.App.Services.GetRequiredService<ResourceCommandService>()
            .ExecuteCommandAsync(resource, command, TestContext.Current.CancellationToken)
            .WaitAsync(CommandTimeout, TestContext.Current.CancellationToken);
    }

    private async Task<List<string>> LogsAsync(string resourceName)
    {
        var lines = new List<string>();
        await foreach (var batch in stack.App.Services.GetRequiredService<ResourceLoggerService>().GetAllAsync(resourceName).WithCancellation(TestContext.Current.CancellationToken))
        {
            lines.AddRange(batch.Select(l => l.Content));
        }

        return lines;
    }
}
