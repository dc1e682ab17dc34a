using Stack.Cluster.Tests.ArgoCd;
using Stack.Cluster.Tests.Kubernetes;

namespace Stack.Cluster.Tests;

/// <summary>The sync order the simulation follows is Argo CD's (gitops-engine sync_tasks.go), on objects made up for each rule.</summary>
public sealed class SyncOrderTests
{
    [Fact]
    public void ObjectsSyncByPhaseThenWaveThenKindThenName()
    {
        var plan = SyncOrder.Plan(
        [
            Object("batch/v1", "Job", "smoke-test", wave: "-5", hook: "PostSync"),
            Object("apps/v1", "Deployment", "api", wave: "2"),
            Object("v1", "ConfigMap", "b-settings", wave: "2"),
            Object("v1", "ConfigMap", "a-settings", wave: "2"),
            Object("external-secrets.io/v1", "ExternalSecret", "keys", wave: "-1"),
            Object("networking.k8s.io/v1", "NetworkPolicy", "deny", wave: "-1"),
            Object("batch/v1", "Job", "backup", wave: "10", hook: "PreSync"),
            Object("v1", "ServiceAccount", "api"),
        ]);

        Assert.Equal(
            ["PreSync 10 Job/backup", "Sync -1 NetworkPolicy/deny", "Sync -1 ExternalSecret/keys", "Sync 0 ServiceAccount/api",
             "Sync 2 ConfigMap/a-settings", "Sync 2 ConfigMap/b-settings", "Sync 2 Deployment/api", "PostSync -5 Job/smoke-test"],
            plan.Select(task => $"{task.Phase} {task.Wave} {task.Object.Kind}/{task.Object.Name}"));
        Assert.Equal(5, SyncOrder.Steps(plan).Count());
    }

    [Fact]
    public void ANamespaceSyncsJustBeforeTheFirstObjectInItAndTakesItsWave()
    {
        var plan = SyncOrder.Plan([Object("v1", "Namespace", "games", wave: "5"), Object("v1", "ConfigMap", "settings", wave: "1", @namespace: "games")]);

        Assert.Equal(["1 Namespace/games", "1 ConfigMap/settings"], plan.Select(task => $"{task.Wave} {task.Object.Kind}/{task.Object.Name}"));
    }

    [Fact]
    public void SkippedObjectsAndSyncFailHooksAreNotPartOfASyncThatSucceeds()
    {
        var plan = SyncOrder.Plan(
        [
            Object("batch/v1", "Job", "notify", hook: "SyncFail"),
            Object("v1", "ConfigMap", "ignored", hook: "Skip"),
            Object("batch/v1", "Job", "migrate", hook: "PreSync,PostSync"),
        ]);

        Assert.Equal(["PreSync Job/migrate", "PostSync Job/migrate"], plan.Select(task => $"{task.Phase} {task.Object.Kind}/{task.Object.Name}"));
        Assert.All(plan, task => Assert.True(task.IsHook));
    }

    [Fact]
    public void AWaveThatIsNoIntegerCountsAsZeroAndCustomKindsComeLast()
    {
        Assert.Equal(0, SyncOrder.Wave(Object("v1", "ConfigMap", "a", wave: "soon")));
        Assert.Equal(-3, SyncOrder.Wave(Object("v1", "ConfigMap", "a", wave: "-3")));
        Assert.True(SyncOrder.KindRank("APIService") < SyncOrder.KindRank("ExternalSecret"));
        Assert.True(SyncOrder.KindRank("Namespace") < SyncOrder.KindRank("NetworkPolicy"));
    }

    private static KubeObject Object(string apiVersion, string kind, string name, string? wave = null, string? hook = null, string? @namespace = null)
    {
        var annotations = string.Join(", ", new[] { wave is null ? null : $"argocd.argoproj.io/sync-wave: \"{wave}\"", hook is null ? null : $"argocd.argoproj.io/hook: \"{hook}\"" }.OfType<string>());
        var namespaceField = @namespace is null ? "" : $", namespace: {@namespace}";
        return KubeObject.Parse($"apiVersion: {apiVersion}\nkind: {kind}\nmetadata: {{name: {name}{namespaceField}, annotations: {{{annotations}}}}}\n", "test.yaml").Single();
    }
}
