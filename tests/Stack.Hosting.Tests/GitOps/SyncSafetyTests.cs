using k8s.Models;

namespace Stack.Hosting.Tests.GitOps;

/// <summary>
/// What Argo CD needs to sync the tree the first time and every time after: inputs of pods land no
/// later than the pods, the server stores exactly what we render, and data survives removals.
/// </summary>
public sealed class SyncSafetyTests
{
    private static T Single<T>(IEnumerable<object> objects, string name) where T : IMetadata<V1ObjectMeta> =>
        Assert.Single(objects.OfType<T>(), o => o.Metadata.Name == name);

    private static int Wave(IMetadata<V1ObjectMeta> o) => int.Parse(o.Metadata.Annotations["argocd.argoproj.io/sync-wave"], System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task TheMigrationJobFindsTheServiceAccountAndSettingsItRunsWithInItsOwnWaveOrEarlier()
    {
        using var output = new TemporaryDirectory();
        var objects = await GitOpsPublishTests.PublishGameGraphAsync(output.Path);

        var job = Single<V1Job>(objects, "api-migrate");
        var pod = job.Spec.Template.Spec;
        Assert.True(Wave(Single<V1ServiceAccount>(objects, pod.ServiceAccountName)) <= Wave(job));
        foreach (var source in pod.Containers.SelectMany(c => c.EnvFrom ?? []).Where(s => s.ConfigMapRef is not null))
        {
            Assert.True(Wave(Single<V1ConfigMap>(objects, source.ConfigMapRef.Name)) <= Wave(job), $"ConfigMap {source.ConfigMapRef.Name} comes after the Job");
        }

        // The API itself still rolls out after its migration.
        Assert.True(Wave(Single<V1Deployment>(objects, "api")) > Wave(job));
    }

    [Fact]
    public async Task StatefulSetsAreGovernedByAHeadlessServiceAndKeepTheirClaimsAsTheServerStoresThem()
    {
        using var output = new TemporaryDirectory();
        var objects = await GitOpsPublishTests.PublishGameGraphAsync(output.Path);

        foreach (var name in (string[])["cache", "postgres"])
        {
            var set = Single<V1StatefulSet>(objects, name);
            var governing = Single<V1Service>(objects, set.Spec.ServiceName);
            Assert.Equal("None", governing.Spec.ClusterIP);
            Assert.Equal(Single<V1Service>(objects, name).Spec.Selector, governing.Spec.Selector);
            Assert.NotEqual("None", Single<V1Service>(objects, name).Spec.ClusterIP);

            // Listed as the server lists them, so the atomic list never differs after a sync.
            var claim = Assert.Single(set.Spec.VolumeClaimTemplates);
            Assert.Equal(("v1", "PersistentVolumeClaim"), (claim.ApiVersion, claim.Kind));
            Assert.Equal(("Retain", "Retain"), (set.Spec.PersistentVolumeClaimRetentionPolicy.WhenDeleted, set.Spec.PersistentVolumeClaimRetentionPolicy.WhenScaled));
        }
    }

    [Fact]
    public async Task NetworkPoliciesNeverHoldAnEmptyRuleListTheServerWouldDrop()
    {
        using var output = new TemporaryDirectory();
        await GitOpsPublishTests.PublishGameGraphAsync(output.Path);
        var files = Directory.EnumerateFiles(Path.Combine(output.Path, "base"), "*networkpolicy*.yaml", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(Path.Combine(output.Path, "base", "network")))
            .ToList();

        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var text = await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken);
            Assert.DoesNotContain("ingress: []", text);
            Assert.DoesNotContain("egress: []", text);
        }

        // Deny-all is said by the policy types alone.
        var deny = TypedManifests.LoadFolder(Path.Combine(output.Path, "base", "network")).OfType<V1NetworkPolicy>().Single(p => p.Metadata.Name == "default-deny");
        Assert.Equal(["Ingress", "Egress"], deny.Spec.PolicyTypes);
        Assert.Null(deny.Spec.Ingress);
        Assert.Null(deny.Spec.Egress);
    }

    [Fact]
    public async Task TheNamespaceAndWithItTheVolumesSurviveRemovalFromGitOrOfTheApplication()
    {
        using var output = new TemporaryDirectory();
        await GitOpsPublishTests.PublishGameGraphAsync(output.Path);

        var ns = TypedManifests.LoadKustomization(Path.Combine(output.Path, "overlays", "prod")).OfType<V1Namespace>().Single();

        Assert.Equal("Prune=false,Delete=false", ns.Metadata.Annotations["argocd.argoproj.io/sync-options"]);
    }

    [Fact]
    public async Task ServiceReplicasSpreadOverZonesAndNodesWithoutBlockingScheduling()
    {
        using var output = new TemporaryDirectory();
        var objects = await GitOpsPublishTests.PublishGameGraphAsync(output.Path);

        var spread = Single<V1Deployment>(objects, "api").Spec.Template.Spec.TopologySpreadConstraints;

        Assert.Equal(["topology.kubernetes.io/zone", "kubernetes.io/hostname"], spread.Select(c => c.TopologyKey));
        Assert.All(spread, c =>
        {
            Assert.Equal("ScheduleAnyway", c.WhenUnsatisfiable);
            Assert.Equal("api", c.LabelSelector.MatchLabels["app.kubernetes.io/name"]);
            Assert.Equal(["pod-template-hash"], c.MatchLabelKeys);
        });
    }
}
