using Stack.Cluster.Tests.ArgoCd;
using Stack.Cluster.Tests.Kubernetes;

namespace Stack.Cluster.Tests;

/// <summary>
/// infra/deploy/admission (the ClusterImagePolicy that admits only images signed by CI's key) on the
/// real API server, against sigstore policy-controller's vendored CRD: its schema accepts it, Argo CD's
/// sync applies it, a second sync changes nothing, and what is stored holds the public key only.
/// No policy-controller runs here, so no pod is judged by it.
/// </summary>
public sealed class ImageAdmissionTests(ControlPlane controlPlane)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    private static string Folder { get; } = Path.Combine(Repository.Deploy, "admission");

    [Fact]
    public async Task TheSignedImagesPolicyAppliesAgainstPolicyControllersCrdAndASecondSyncChangesNothing()
    {
        var cluster = controlPlane.Cluster;
        var objects = KubeObject.Parse(await cluster.Kubectl.KustomizeAsync(Folder), "infra/deploy/admission (kustomize)");
        var policy = Assert.Single(objects);
        Assert.Equal("ClusterImagePolicy", policy.Kind);
        var sync = new ArgoCdSync(cluster, "stack-policy");

        var first = await sync.SyncAsync(objects).WaitAsync(Timeout, TestContext.Current.CancellationToken);
        Findings.None(first.ApplyFailures, "objects of infra/deploy/admission the API server refused", first.Order);
        var live = await sync.LiveAsync(objects).WaitAsync(Timeout, TestContext.Current.CancellationToken);
        var key = live[policy.Key].Spec!["authorities"]![0]!["key"]!["data"].Text();
        Assert.StartsWith("-----BEGIN PUBLIC KEY-----", key);
        Assert.DoesNotContain("PRIVATE", key);
        Findings.None([.. LiveDifference.OutOfSync(policy, live[policy.Key]).Select(difference => $"{policy.DisplayName}: {difference}")],
            "differences Argo CD would show for infra/deploy/admission after syncing it (perpetual OutOfSync)");

        var changes = await sync.ResyncAsync(objects).WaitAsync(Timeout, TestContext.Current.CancellationToken);
        Findings.None(changes, "objects of infra/deploy/admission a second sync changed");
    }

    [Fact]
    public async Task ThePolicyControllersSchemaRefusesAPolicyWithoutImages()
    {
        var cluster = controlPlane.Cluster;
        var broken = KubeObject.Parse(
            """
            apiVersion: policy.sigstore.dev/v1alpha1
            kind: ClusterImagePolicy
            metadata: {name: stack-cluster-tests-broken}
            spec:
              images: "ghcr.io/stack-games/**"
              authorities: [{key: {data: not-a-key}}]
            """, "broken");

        var result = await cluster.Kubectl.ApplyAsync(broken, dryRun: true).WaitAsync(Timeout, TestContext.Current.CancellationToken);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("spec.images", result.AllOutput);
    }
}
