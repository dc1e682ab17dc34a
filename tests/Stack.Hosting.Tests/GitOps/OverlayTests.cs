using k8s.Models;

namespace Stack.Hosting.Tests.GitOps;

/// <summary>Each environment's overlay, rendered by the real `kubectl kustomize` as Argo CD does.</summary>
public sealed class OverlayTests
{
    [Fact]
    public async Task EachEnvironmentRendersIntoItsOwnNamespaceWithItsOwnReplicasSizesAndTags()
    {
        using var output = new TemporaryDirectory();
        await GitOpsPublishTests.PublishGameGraphAsync(output.Path);

        var dev = TypedManifests.LoadKustomization(Path.Combine(output.Path, "overlays", "dev"));
        var prod = TypedManifests.LoadKustomization(Path.Combine(output.Path, "overlays", "prod"));

        foreach (var (objects, name) in new[] { (dev, "dev"), (prod, "prod") })
        {
            var ns = Assert.Single(objects.OfType<V1Namespace>());
            Assert.Equal($"stack-{name}", ns.Metadata.Name);
            Assert.Equal("enforced", ns.Metadata.Labels["stack.dev/policy"]);
            Assert.All(objects.OfType<IMetadata<V1ObjectMeta>>().Where(o => o is not V1Namespace), o => Assert.Equal($"stack-{name}", o.Metadata.NamespaceProperty));
            Assert.Equal("ghcr.io/stack-games/api:0.1.0", objects.OfType<V1Deployment>().Single().Spec.Template.Spec.Containers[0].Image);
            Assert.Equal($"api.{name}.stack.example.com", objects.OfType<V1Ingress>().Single().Spec.Rules[0].Host);
        }

        Assert.Equal(1, dev.OfType<V2HorizontalPodAutoscaler>().Single().Spec.MinReplicas);
        Assert.Equal(4, prod.OfType<V2HorizontalPodAutoscaler>().Single().Spec.MinReplicas);
        Assert.Equal(new ResourceQuantity("500m"), dev.OfType<V1Deployment>().Single().Spec.Template.Spec.Containers[0].Resources.Limits["cpu"]);
        Assert.Equal(new ResourceQuantity("2"), prod.OfType<V1Deployment>().Single().Spec.Template.Spec.Containers[0].Resources.Limits["cpu"]);

        // The Secret is filled per environment from the store, one key per secret of the graph.
        var secret = prod.OfType<ArgoCd.ExternalSecret>().Single();
        Assert.Equal("vault", secret.Spec.SecretStoreRef.Name);
        Assert.Equal(["cache-password", "postgres-password", "server-key"], secret.Spec.Data.Select(d => d.SecretKey));
        Assert.All(secret.Spec.Data, d => Assert.StartsWith("stack/prod/", d.RemoteRef.Key));
    }

    [Fact]
    public async Task ArgoCdSyncsOneApplicationPerEnvironmentFromTheOverlays()
    {
        using var output = new TemporaryDirectory();
        await GitOpsPublishTests.PublishGameGraphAsync(output.Path);
        var objects = TypedManifests.LoadFolder(Path.Combine(output.Path, "argocd"));

        var set = objects.OfType<ArgoCd.ApplicationSet>().Single();
        Assert.Equal(["dev", "prod"], set.Spec.Generators.Single().List!.Elements.Select(e => e["environment"]));
        Assert.Equal("infra/deploy/overlays/{{.environment}}", set.Spec.Template.Spec.Source.Path);
        var sync = set.Spec.Template.Spec.SyncPolicy!;
        Assert.True(sync.Automated!.Prune && sync.Automated.SelfHeal);
        Assert.Contains("ServerSideApply=true", sync.SyncOptions!);
        Assert.Contains("CreateNamespace=true", sync.SyncOptions!);
        Assert.True(sync.Retry!.Limit > 0);

        var project = objects.OfType<ArgoCd.AppProject>().Single();
        Assert.Equal(set.Spec.Template.Spec.Project, project.Metadata.Name);
        Assert.Equal(["stack-dev", "stack-prod", "stack-policy"], project.Spec.Destinations.Select(d => d.Namespace));
        Assert.Contains(project.Spec.NamespaceResourceWhitelist, k => k.Group == "apps" && k.Kind == "StatefulSet");
        Assert.Contains(project.Spec.NamespaceResourceWhitelist, k => k.Group == "networking.k8s.io" && k.Kind == "NetworkPolicy");
        Assert.DoesNotContain(project.Spec.NamespaceResourceWhitelist, k => k.Kind == "Secret");

        // Admission policies are an application of their own, synced before any environment.
        var policies = Assert.Single(objects.OfType<ArgoCd.Application>(), a => a.Metadata.Name == "stack-policies");
        Assert.Equal("infra/policies", policies.Spec.Source.Path);
        Assert.True(int.Parse(policies.Metadata.Annotations["argocd.argoproj.io/sync-wave"]) < int.Parse(set.Metadata.Annotations["argocd.argoproj.io/sync-wave"]));

        var bootstrap = Assert.Single(objects.OfType<ArgoCd.Application>(), a => a.Metadata.Name == "stack-bootstrap");
        Assert.Equal("infra/deploy/argocd", bootstrap.Spec.Source.Path);
    }
}
