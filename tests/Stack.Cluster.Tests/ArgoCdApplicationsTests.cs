using Stack.Cluster.Tests.ArgoCd;
using Stack.Cluster.Tests.Kubernetes;

namespace Stack.Cluster.Tests;

/// <summary>
/// infra/deploy/argocd (AppProject, ApplicationSet, the policies and bootstrap Applications) synced
/// into the namespace argocd, as the bootstrap Application syncs its own folder, against Argo CD's real CRDs.
/// </summary>
public sealed class ArgoCdApplicationsTests(ControlPlane controlPlane)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task TheArgoCdApplicationsApplyServerSideAgainstArgoCdsCrdsAndASecondSyncChangesNothing()
    {
        var cluster = controlPlane.Cluster;
        var objects = ArgoCdApplications.Objects();
        var sync = new ArgoCdSync(cluster, "argocd");

        var first = await sync.SyncAsync(objects).WaitAsync(Timeout, TestContext.Current.CancellationToken);
        Findings.None(first.ApplyFailures, "objects of infra/deploy/argocd the API server refused", first.Order);
        var live = await sync.LiveAsync(objects).WaitAsync(Timeout, TestContext.Current.CancellationToken);
        Assert.Equal(objects.Count, live.Count);
        Findings.None([.. objects.SelectMany(item => LiveDifference.OutOfSync(item, live[item.Key]).Select(difference => $"{item.DisplayName}: {difference}"))],
            "differences Argo CD would show for infra/deploy/argocd after syncing it (perpetual OutOfSync)");

        var changes = await sync.ResyncAsync(objects).WaitAsync(Timeout, TestContext.Current.CancellationToken);
        Findings.None(changes, "objects of infra/deploy/argocd a second sync changed");
    }
}
