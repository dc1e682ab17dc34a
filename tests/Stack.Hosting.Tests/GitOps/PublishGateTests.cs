using Aspire.Hosting;
using k8s.Models;

namespace Stack.Hosting.Tests.GitOps;

/// <summary>Publish runs the admission policies of infra/policies over every overlay before it writes a tree.</summary>
public sealed class PublishGateTests
{
    [Fact]
    public async Task ManifestsThatBreakAPolicyAreNotWrittenAndEveryViolationIsListed()
    {
        using var work = new TemporaryDirectory();
        var target = Path.Combine(work.Path, "deploy");

        var failure = await PublishedGraph.PublishFailureAsync(target, builder =>
        {
            // Rendered correctly, but from a registry the policies do not allow.
            builder.AddContainer("exporter", "quay.io/prometheus/node-exporter", "v1.8.2").WithEndpoint(targetPort: 9100, name: "metrics", scheme: "http");
            builder.AddGitOpsEnvironment("gitops").WithPolicies("infra/policies");
        });

        Assert.Contains("do not pass the policy gate (3 violations, 0 input problems); nothing was written", failure);
        foreach (var environment in new[] { "dev", "staging", "prod" })
        {
            Assert.Contains($"{environment}: stack-allowed-registries Deployment/exporter (stack-{environment})", failure);
        }

        Assert.False(Directory.Exists(target));
    }

    [Fact]
    public async Task AReferenceToRestrictedPaymentsDataFailsPublishNamingBothResources()
    {
        using var work = new TemporaryDirectory();

        var failure = await PublishedGraph.PublishFailureAsync(work.Path, builder =>
        {
            var payments = builder.AddExternalDatabase("payments-db", "payments-db.payments.svc.cluster.local", 5432, "payments").WithRestrictedData("payments");
            builder.AddProject("api", PublishedGraph.LeaderboardApiProject).WithReference(payments);
            builder.AddGitOpsEnvironment("gitops");
        });

        Assert.Equal(
            "Resource 'api' references 'payments-db', which holds restricted payments data. Nothing in this graph may reach payments data: remove the WithReference to 'payments-db'.",
            failure);
    }

    [Fact]
    public async Task TheGraphWithPaymentsDeclaredButUnreferencedPublishesWithNoPathToIt()
    {
        using var work = new TemporaryDirectory();
        await PublishedGraph.PublishAsync(work.Path, builder =>
        {
            GitOpsPublishTests.GameGraph(builder);
            builder.AddExternalDatabase("payments-db", "payments-db.payments.svc.cluster.local", 5432, "payments").WithRestrictedData("payments");
        }, $"--Parameters:server-key={GitOpsPublishTests.ServerKey}");

        var objects = TypedManifests.LoadKustomization(Path.Combine(work.Path, "overlays", "prod"));
        var policies = objects.OfType<V1NetworkPolicy>().ToList();
        Assert.NotEmpty(policies);

        // Every egress peer is a pod of our own namespace, DNS, or the telemetry collector.
        var peers = policies.SelectMany(p => p.Spec.Egress ?? []).SelectMany(r => r.To).ToList();
        Assert.All(peers, peer => Assert.NotEqual("payments", Label(peer.NamespaceSelector?.MatchLabels, "kubernetes.io/metadata.name")));
        Assert.All(peers, peer => Assert.Null(Label(peer.PodSelector?.MatchLabels, "data-classification")));
        Assert.DoesNotContain("payments", string.Join('\n', Directory.EnumerateFiles(work.Path, "*", SearchOption.AllDirectories).Select(File.ReadAllText)));
    }

    private static string? Label(IDictionary<string, string>? labels, string key) =>
        labels is not null && labels.TryGetValue(key, out var value) ? value : null;
}
