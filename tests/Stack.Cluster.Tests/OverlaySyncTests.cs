using Stack.Cluster.Tests.Policies;

namespace Stack.Cluster.Tests;

/// <summary>
/// Each environment's overlay, synced by Argo CD's documented rules into a real API server with the
/// policies installed: it applies, its waves make progress without warnings, and syncing it again changes nothing.
/// </summary>
public sealed class OverlaySyncTests(PublishedOverlays overlays) : IClassFixture<PublishedOverlays>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    public static TheoryData<string> Environments => [.. PublishedOverlays.Environments];

    [Theory]
    [MemberData(nameof(Environments))]
    public async Task EveryOverlayAppliesServerSideIntoItsNamespaceEnforcedByThePoliciesAndPodSecurityRestricted(string environment)
    {
        var sync = await overlays.SyncedAsync(environment).WaitAsync(Timeout, TestContext.Current.CancellationToken);

        Findings.None(sync.First.ApplyFailures, $"objects of overlays/{environment} the API server refused", sync.First.Order);
        Assert.Equal("enforced", sync.NamespaceLabels.GetValueOrDefault("stack.dev/policy"));
        Assert.Equal("restricted", sync.NamespaceLabels.GetValueOrDefault("pod-security.kubernetes.io/enforce"));
        Assert.Equal(VerdictKind.Denied, sync.SecretLookingConfigMap.Kind);
        Assert.Equal("stack-configmap-secrets", sync.SecretLookingConfigMap.Policies[0].Policy);
        Assert.NotEqual(0, sync.PodWithoutSeccompProfile.ExitCode);
        Assert.Contains("violates PodSecurity \"restricted:latest\"", sync.PodWithoutSeccompProfile.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Environments))]
    public async Task SyncingAnOverlayWaveByWaveRaisesNoWarningAndEveryControllerCreatesItsPods(string environment)
    {
        var sync = await overlays.SyncedAsync(environment).WaitAsync(Timeout, TestContext.Current.CancellationToken);

        Findings.None(
            [.. sync.First.Warnings.Select(warning => $"Warning event: {warning}"),
             .. sync.First.WorkloadsWithoutPods.Select(workload => $"without its pods: {workload}"),
             .. sync.First.NotActedOn.Select(item => $"not acted on by the controllers: {item}")],
            $"problems while syncing overlays/{environment} wave by wave", sync.First.Order);
    }

    [Theory]
    [MemberData(nameof(Environments))]
    public async Task EveryPodFindsTheServiceAccountConfigMapsAndSecretsItNamesSyncedInAnEarlierStep(string environment)
    {
        var sync = await overlays.SyncedAsync(environment).WaitAsync(Timeout, TestContext.Current.CancellationToken);

        Findings.None(sync.First.MissingDependencies, $"pod templates of overlays/{environment} applied before what their pods need", sync.First.Order);
    }

    [Theory]
    [MemberData(nameof(Environments))]
    public async Task ASecondSyncOfTheSameOverlayChangesNoObject(string environment)
    {
        var sync = await overlays.SyncedAsync(environment).WaitAsync(Timeout, TestContext.Current.CancellationToken);

        Findings.None(sync.SecondSyncChanges, $"objects of overlays/{environment} a second sync of the same tree changed");
    }

    [Theory]
    [MemberData(nameof(Environments))]
    public async Task NoObjectOfASyncedOverlayStaysOutOfSync(string environment)
    {
        var sync = await overlays.SyncedAsync(environment).WaitAsync(Timeout, TestContext.Current.CancellationToken);

        Findings.None(sync.OutOfSync, $"differences Argo CD would show for overlays/{environment} after syncing it (perpetual OutOfSync)");
    }

    [Theory]
    [MemberData(nameof(Environments))]
    public async Task EveryStatefulSetIsGovernedByAHeadlessService(string environment)
    {
        var sync = await overlays.SyncedAsync(environment).WaitAsync(Timeout, TestContext.Current.CancellationToken);

        Findings.None(sync.UngovernedStatefulSets, $"StatefulSets of overlays/{environment} without a headless governing Service");
    }
}
