using Stack.Cluster.Tests.Kubernetes;

namespace Stack.Cluster.Tests;

/// <summary>How the simulation decides that Argo CD would show an object OutOfSync after syncing it.</summary>
public sealed class LiveDifferenceTests
{
    [Fact]
    public void ListsOfNamedItemsMergeByNameAndTheServersAdditionsInsideThemAreNoDifference()
    {
        var git = Parse("apps/v1", "Deployment", "spec: {template: {spec: {containers: [{name: api, image: 'a:1'}]}}}");
        var live = Parse("apps/v1", "Deployment", "spec: {replicas: 3, template: {spec: {containers: [{name: api, image: 'a:1', terminationMessagePath: /dev/termination-log}]}}}\nstatus: {replicas: 3}");

        Assert.Empty(LiveDifference.OutOfSync(git, live));
    }

    [Fact]
    public void AListNotKeyedByNameIsReplacedSoWhatTheServerAddsInsideItIsADifference()
    {
        var git = Parse("apps/v1", "StatefulSet", "spec: {volumeClaimTemplates: [{metadata: {name: data}, spec: {accessModes: [ReadWriteOnce]}}]}");
        var live = Parse("apps/v1", "StatefulSet",
            "spec: {volumeClaimTemplates: [{apiVersion: v1, kind: PersistentVolumeClaim, metadata: {name: data}, spec: {accessModes: [ReadWriteOnce], volumeMode: Filesystem}, status: {phase: Pending}}]}");

        // Kubernetes' own defaults (volumeMode, status.phase) are filled in as Argo CD fills them; apiVersion and kind are not defaults.
        Assert.Equal(
            ["spec.volumeClaimTemplates[0].apiVersion: git (absent), cluster \"v1\"", "spec.volumeClaimTemplates[0].kind: git (absent), cluster \"PersistentVolumeClaim\""],
            LiveDifference.OutOfSync(git, live));
    }

    [Fact]
    public void AnEmptyListOfABuiltInKindIsNoDifferenceThoughTheServerStoresNothing()
    {
        var git = Parse("networking.k8s.io/v1", "NetworkPolicy", "spec: {podSelector: {}, policyTypes: [Egress], egress: []}");
        var live = Parse("networking.k8s.io/v1", "NetworkPolicy", "spec: {podSelector: {}, policyTypes: [Egress]}");

        Assert.Empty(LiveDifference.OutOfSync(git, live));
        Assert.Equal(["spec.egress: git [], cluster (absent)"], LiveDifference.StoredOtherwise(git, live));
    }

    private static KubeObject Parse(string apiVersion, string kind, string rest) =>
        KubeObject.Parse($"apiVersion: {apiVersion}\nkind: {kind}\nmetadata: {{name: x, namespace: games, uid: u-1, resourceVersion: '7'}}\n{rest}\n", "test.yaml").Single();
}
