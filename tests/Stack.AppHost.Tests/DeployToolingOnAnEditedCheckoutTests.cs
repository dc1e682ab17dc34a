using Aspire.Hosting;

namespace Stack.AppHost.Tests;

/// <summary>
/// The dashboard's deploy tooling judges the checkout the AppHost lives in, and says so when it is
/// wrong: each test runs the AppHost from a copy of this checkout edited the way a person might.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class DeployToolingOnAnEditedCheckoutTests
{
    private const string HandEditedFile = "base/leaderboard-api/configmap.yaml";
    private const string DevImagesFile = "overlays/dev/images/kustomization.yaml";

    [Fact]
    public async Task TheGitOpsEnvironmentReportsDriftedAndNamesTheFileWhenTheCommittedTreeWasEditedByHand()
    {
        await using var checkout = await CheckoutCopy.StartAsync(root =>
        {
            // A hand edit that publish would undo.
            CheckoutCopy.Edit(root, $"infra/deploy/{HandEditedFile}", "OTEL_SERVICE_NAME: leaderboard-api", "OTEL_SERVICE_NAME: edited-by-hand");
            // A new tag in a file promotion owns: publish keeps it, so it is not drift.
            CheckoutCopy.Edit(root, $"infra/deploy/{DevImagesFile}", "newTag: \"0.1.0\"", "newTag: \"0.1.1\"");
        });

        var result = await ResourceCommands.ExecuteAsync(checkout.App, "gitops", DriftCheckCommandExtensions.CommandName);

        Assert.False(result.Success, "the drift check passed on an edited tree");
        Assert.Equal("Drifted", ResourceCommands.StateOf(checkout.App, "gitops"));
        var logs = await ResourceCommands.LogsAsync(checkout.App, "gitops");
        Assert.Contains(logs, line => line.Contains(HandEditedFile, StringComparison.Ordinal));
        Assert.DoesNotContain(logs, line => line.Contains(DevImagesFile, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ThePolicyGateReportsViolationsAndNamesThePolicyWhenACommittedOverlayBreaksARule()
    {
        await using var checkout = await CheckoutCopy.StartAsync(root =>
            CheckoutCopy.Edit(root, $"infra/deploy/{DevImagesFile}", "newTag: \"0.1.0\"", "newTag: \"latest\""));

        // The gate judges the committed overlays at start, then again on its command.
        await ResourceCommands.WaitForStateAsync(checkout.App, "policy-gate", "Violations");
        var result = await ResourceCommands.ExecuteAsync(checkout.App, "policy-gate", PolicyGateBuilderExtensions.CommandName);

        Assert.False(result.Success, "the policy check passed on an overlay with an unpinned image");
        Assert.Equal("Violations", ResourceCommands.StateOf(checkout.App, "policy-gate"));
        Assert.Contains(await ResourceCommands.LogsAsync(checkout.App, "policy-gate"), line => line.Contains("dev: stack-image-tags", StringComparison.Ordinal));
    }
}
