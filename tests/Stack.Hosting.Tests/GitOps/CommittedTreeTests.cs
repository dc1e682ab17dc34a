using k8s.Models;
using Stack.Hosting.Policy;

namespace Stack.Hosting.Tests.GitOps;

/// <summary>The infra/deploy tree committed in this repository is what Argo CD can sync.</summary>
public sealed class CommittedTreeTests
{
    private static readonly string Deploy = Path.Combine(PublishedGraph.RepositoryRoot, "infra", "deploy");

    public static TheoryData<string> Environments => new(
        Directory.GetDirectories(Path.Combine(PublishedGraph.RepositoryRoot, "infra", "deploy", "overlays")).Select(Path.GetFileName).Order(StringComparer.Ordinal)!);

    [Fact]
    public void DevStagingAndProdAreCommitted() =>
        Assert.Equal(["dev", "prod", "staging"], Environments.Select(row => row.Data));

    [Theory]
    [MemberData(nameof(Environments))]
    public void EveryOverlayRendersWithKustomizeAndLoadsThroughTypedModels(string environment)
    {
        var objects = TypedManifests.LoadKustomization(Path.Combine(Deploy, "overlays", environment));

        Assert.Equal(["cache", "postgres"], objects.OfType<V1StatefulSet>().Select(s => s.Metadata.Name).Order(StringComparer.Ordinal));
        // The API is released blue-green: a Rollout; the stats worker serves no traffic, a Deployment.
        Assert.Equal(["leaderboard-stats"], objects.OfType<V1Deployment>().Select(d => d.Metadata.Name));
        var rollout = Assert.Single(objects.OfType<Monitoring.Rollout>());
        Assert.Equal("leaderboard-api", rollout.Metadata.Name);
        var jobImage = Assert.Single(objects.OfType<V1Job>(), j => j.Metadata.Name == "leaderboard-api-migrate").Spec.Template.Spec.Containers[0].Image;
        Assert.Equal(rollout.Spec.Template.Spec.Containers[0].Image, jobImage);
        Assert.Matches(@"^ghcr\.io/stack-games/leaderboard-api:[\w][\w.-]*$", jobImage);
        Assert.Contains(objects.OfType<V1NetworkPolicy>(), p => p.Metadata.Name == "default-deny");
        Assert.Single(objects.OfType<V1Namespace>(), n => n.Metadata.Name == $"stack-{environment}");
    }

    [Fact]
    public void TheArgoCdFolderLoadsThroughTypedModels()
    {
        var objects = TypedManifests.LoadFolder(Path.Combine(Deploy, "argocd"));

        Assert.Equal(["stack", "stack-bootstrap"], objects.OfType<ArgoCd.AppProject>().Select(p => p.Metadata.Name).Order(StringComparer.Ordinal));
        var matrix = objects.OfType<ArgoCd.ApplicationSet>().Single().Spec.Generators.Single().Matrix!;
        Assert.Equal(["dev", "staging", "prod"], matrix.Generators[0].List!.Elements.Select(e => e["environment"]));
        Assert.Contains(objects.OfType<ArgoCd.Application>(), a => a.Spec.Source.Path == "infra/deploy/argocd");
    }

    [Fact]
    public void EveryOverlayPassesThePolicyGate()
    {
        var result = PolicyGate.Check(Path.Combine(PublishedGraph.RepositoryRoot, "infra", "policies"), Deploy);

        Assert.Equal(["dev", "prod", "staging"], result.Overlays.Keys);
        Assert.True(result.Passed, string.Join('\n', result.Describe()));
        Assert.All(result.Overlays.Values, report => Assert.True(report.ObjectsChecked > 15));
    }

    [Fact]
    public void TheGateJudgesOurObjectsTheBaseAloneLacksAPinnedImageTag()
    {
        // The base leaves the images' tags to each environment; judged on its own, it must fail.
        var policies = Stack.Policy.PolicySet.Load(Path.Combine(PublishedGraph.RepositoryRoot, "infra", "policies"));
        var report = policies.Check(Stack.Policy.ManifestLoader.Load(Path.Combine(Deploy, "base")));

        Assert.All(report.Violations, violation => Assert.Equal("stack-image-tags", violation.Policy));
        Assert.Equal(["Deployment/leaderboard-stats", "Job/leaderboard-api-migrate", "Rollout/leaderboard-api"], report.Violations.Select(v => v.Object).Order(StringComparer.Ordinal));
    }
}
