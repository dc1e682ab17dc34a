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
}
