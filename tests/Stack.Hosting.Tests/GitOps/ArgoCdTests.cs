using Aspire.Hosting;
using k8s.Models;
using NLua;
using Stack.GitOps;
using Stack.Hosting.GitOps;
using Stack.Hosting.LocalInfrastructure;

namespace Stack.Hosting.Tests.GitOps;

/// <summary>What Argo CD receives: one Application per released environment, policies first, a bootstrap fenced in its own project.</summary>
public sealed class ArgoCdTests
{
    private const string Commit = "4f2c9e1a7b3d5c6e8f9a0b1c2d3e4f5a6b7c8d9e";

    private static async Task<List<object>> PublishArgoCdAsync(string output)
    {
        await GitOpsPublishTests.PublishGameGraphAsync(output);
        return TypedManifests.LoadFolder(Path.Combine(output, "argocd"));
    }

    [Fact]
    public async Task EachEnvironmentIsAnApplicationOfTheRevisionItsReleaseFileNames()
    {
        using var output = new TemporaryDirectory();
        var objects = await PublishArgoCdAsync(output.Path);

        var set = objects.OfType<ArgoCd.ApplicationSet>().Single();
        var matrix = Assert.Single(set.Spec.Generators).Matrix!;
        Assert.Equal(["dev", "prod"], matrix.Generators[0].List!.Elements.Select(e => e["environment"]));
        Assert.Equal(["stack-dev", "stack-prod"], matrix.Generators[0].List!.Elements.Select(e => e["namespace"]));
        var releases = matrix.Generators[1].Git!;
        Assert.Equal("main", releases.Revision);
        Assert.Equal("infra/deploy/overlays/{{.environment}}/release.yaml", Assert.Single(releases.Files).Path);
        Assert.Equal("{{.revision}}", set.Spec.Template.Spec.Source.TargetRevision);
        Assert.Equal("infra/deploy/overlays/{{.environment}}", set.Spec.Template.Spec.Source.Path);

        var sync = set.Spec.Template.Spec.SyncPolicy!;
        Assert.True(sync.Automated!.Prune && sync.Automated.SelfHeal);
        Assert.Contains("ServerSideApply=true", sync.SyncOptions!);
        Assert.Contains("CreateNamespace=true", sync.SyncOptions!);
        Assert.True(sync.Retry!.Limit > 0);

        // Dropping an environment deletes its Application, not its namespace and data.
        Assert.True(set.Spec.SyncPolicy!.PreserveResourcesOnDeletion);
    }

    [Fact]
    public async Task OnlyTheFirstEnvironmentTracksTheBranchTheOthersWaitForAPromotedCommit()
    {
        using var output = new TemporaryDirectory();
        await PublishedGraph.PublishAsync(output.Path, GameGraphPinnedByDigest, $"--Parameters:server-key={GitOpsPublishTests.ServerKey}");
        var tree = new DeployTree(output.Path);
        var prodNamespace = tree.Resolve(DeployTree.NamespaceFile("prod"));

        Assert.Equal("main", ReleaseFile.Read(await File.ReadAllTextAsync(tree.Resolve(DeployTree.ReleaseFile("dev")), TestContext.Current.CancellationToken)));
        Assert.False(File.Exists(tree.Resolve(DeployTree.ReleaseFile("prod"))), "prod must not deploy before a commit is promoted to it");
        Assert.Contains("stack.dev/released: \"false\"", await File.ReadAllTextAsync(prodNamespace, TestContext.Current.CancellationToken));

        // Released, prod runs only images pinned by digest (stack-image-digests): promote the image first.
        Promotion.PromoteImage(tree, "prod", "api", "1.0.0", ImageDigest);
        var promoted = Promotion.PromoteRevision(tree, "prod", Commit);
        Assert.Contains("stack.dev/released: \"true\"", await File.ReadAllTextAsync(prodNamespace, TestContext.Current.CancellationToken));

        // A promotion survives the next publish, byte for byte, and publish renders prod as released.
        var before = await File.ReadAllTextAsync(promoted.File, TestContext.Current.CancellationToken);
        var namespaceBefore = await File.ReadAllTextAsync(prodNamespace, TestContext.Current.CancellationToken);
        await PublishedGraph.PublishAsync(output.Path, GameGraphPinnedByDigest, $"--Parameters:server-key={GitOpsPublishTests.ServerKey}");
        Assert.Equal(before, await File.ReadAllTextAsync(promoted.File, TestContext.Current.CancellationToken));
        Assert.Equal(namespaceBefore, await File.ReadAllTextAsync(prodNamespace, TestContext.Current.CancellationToken));
        Assert.Equal(Commit, ReleaseFile.Read(before));
    }

    [Fact]
    public async Task ReleasingAnEnvironmentWhoseImagesAreNotPinnedByDigestFailsThePublishGate()
    {
        using var output = new TemporaryDirectory();
        await PublishedGraph.PublishAsync(output.Path, GameGraphPinnedByDigest, $"--Parameters:server-key={GitOpsPublishTests.ServerKey}");
        var tree = new DeployTree(output.Path);

        Promotion.PromoteRevision(tree, "prod", Commit);
        var failure = await Assert.ThrowsAnyAsync<Exception>(() =>
            PublishedGraph.PublishAsync(output.Path, GameGraphPinnedByDigest, $"--Parameters:server-key={GitOpsPublishTests.ServerKey}"));

        Assert.Contains("stack-image-digests Deployment/api (stack-prod): in prod every image must be pinned by digest", failure.ToString());
    }

    private const string ImageDigest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    /// <summary>The game graph with its third-party images pinned by digest, as a graph that releases prod must be.</summary>
    private static void GameGraphPinnedByDigest(IDistributedApplicationBuilder builder)
    {
        GitOpsPublishTests.GameGraph(builder);
        builder.CreateResourceBuilder(builder.Resources.OfType<GitOpsEnvironmentResource>().Single())
            .WithImageDigest($"docker.io/library/redis:{PinnedImageTags.Redis}", "sha256:5fa2edb1e408fa8235e6db8fab01d1afaaae96c9403ba67b70feceb8661e8621")
            .WithImageDigest($"docker.io/library/postgres:{PinnedImageTags.Postgres}", "sha256:822f8795764a670160640888508b2a68ea5c4b045012c2de17e1d0447bdbdc99");
    }

    [Fact]
    public async Task AnEnvironmentCanTrackTheBranchOrFollowPromotionExplicitly()
    {
        using var output = new TemporaryDirectory();
        await PublishedGraph.PublishAsync(output.Path, builder =>
        {
            builder.AddContainer("web", "docker.io/library/nginx", "1.27.2").WithHttpEndpoint(targetPort: 80);
            builder.AddGitOpsEnvironment("gitops")
                .WithArgoCd("https://example.com/repo.git", revision: "trunk")
                .WithDeployEnvironment("dev", dev => dev.FollowPromotion())
                .WithDeployEnvironment("qa", qa => qa.TrackBranch());
        });
        var tree = new DeployTree(output.Path);

        Assert.False(File.Exists(tree.Resolve(DeployTree.ReleaseFile("dev"))));
        Assert.Equal("trunk", ReleaseFile.Read(await File.ReadAllTextAsync(tree.Resolve(DeployTree.ReleaseFile("qa")), TestContext.Current.CancellationToken)));
    }

    [Fact]
    public async Task PoliciesAreSyncedInAnEarlierWaveThatArgoCdWaitsFor()
    {
        using var output = new TemporaryDirectory();
        var objects = await PublishArgoCdAsync(output.Path);

        var set = objects.OfType<ArgoCd.ApplicationSet>().Single();
        var policies = Assert.Single(objects.OfType<ArgoCd.Application>(), a => a.Metadata.Name == "stack-policies");
        Assert.Equal("infra/policies", policies.Spec.Source.Path);
        Assert.True(Wave(policies.Metadata) < Wave(set.Metadata));

        // Waves only wait for what has a health check; Argo CD has none for Applications of its own.
        var config = Assert.Single(objects.OfType<V1ConfigMap>());
        Assert.Equal(("argocd-cm", "argocd"), (config.Metadata.Name, config.Metadata.NamespaceProperty));
        Assert.Equal("argocd", config.Metadata.Labels["app.kubernetes.io/part-of"]);
        Assert.True(Wave(config.Metadata) < Wave(policies.Metadata));
        Assert.Contains("resource.customizations.health.argoproj.io_Application", config.Data.Keys);
    }

    public static TheoryData<string, string> ApplicationStates => new()
    {
        { "nil", "Progressing" },
        { "{ sync = { status = 'OutOfSync' } }", "Progressing" },
        { "{ health = { status = 'Healthy' }, sync = { status = 'OutOfSync' } }", "Progressing" },
        { "{ health = { status = 'Progressing' }, sync = { status = 'Synced' } }", "Progressing" },
        { "{ health = { status = 'Degraded', message = 'policy rejected' }, sync = { status = 'Synced' } }", "Degraded" },
        { "{ health = { status = 'Missing' }, sync = { status = 'OutOfSync' } }", "Missing" },
        { "{ health = { status = 'Healthy' }, sync = { status = 'Synced' } }", "Healthy" },
    };

    [Theory]
    [MemberData(nameof(ApplicationStates))]
    public async Task TheApplicationHealthCheckIsHealthyOnlyOnceSyncedAndHealthy(string status, string expected)
    {
        using var output = new TemporaryDirectory();
        var objects = await PublishArgoCdAsync(output.Path);
        var script = objects.OfType<V1ConfigMap>().Single().Data["resource.customizations.health.argoproj.io_Application"];

        // The script as Argo CD runs it: a chunk that reads the global `obj` and returns a table.
        using var lua = new Lua();
        lua.DoString($"obj = {{ apiVersion = 'argoproj.io/v1alpha1', kind = 'Application', status = {status} }}");
        var health = (LuaTable)lua.DoString(script)[0];

        Assert.Equal(expected, health["status"]);
        Assert.IsType<string>(health["message"]);
    }

    [Fact]
    public async Task TheBootstrapRunsInAProjectOfItsOwnThatReachesOnlyArgoCdsNamespace()
    {
        using var output = new TemporaryDirectory();
        var objects = await PublishArgoCdAsync(output.Path);

        var bootstrap = Assert.Single(objects.OfType<ArgoCd.Application>(), a => a.Metadata.Name == "stack-bootstrap");
        Assert.Equal("infra/deploy/argocd", bootstrap.Spec.Source.Path);
        Assert.Contains("ServerSideApply=true", bootstrap.Spec.SyncPolicy!.SyncOptions!);
        var project = Assert.Single(objects.OfType<ArgoCd.AppProject>(), p => p.Metadata.Name == bootstrap.Spec.Project);
        Assert.NotEqual("default", project.Metadata.Name);
        Assert.Equal(["argocd"], project.Spec.Destinations.Select(d => d.Namespace));
        Assert.Empty(project.Spec.ClusterResourceWhitelist);
        Assert.Equal(["/ConfigMap", "argoproj.io/AppProject", "argoproj.io/Application", "argoproj.io/ApplicationSet"], project.Spec.NamespaceResourceWhitelist.Select(k => $"{k.Group}/{k.Kind}"));

        var workloads = Assert.Single(objects.OfType<ArgoCd.AppProject>(), p => p.Metadata.Name == "stack");
        Assert.Equal(["stack-dev", "stack-prod", "stack-policy"], workloads.Spec.Destinations.Select(d => d.Namespace));
        Assert.Contains(workloads.Spec.NamespaceResourceWhitelist, k => k.Group == "apps" && k.Kind == "StatefulSet");
        Assert.DoesNotContain(workloads.Spec.NamespaceResourceWhitelist, k => k.Kind == "Secret");
    }

    private static int Wave(V1ObjectMeta metadata) => int.Parse(metadata.Annotations["argocd.argoproj.io/sync-wave"], System.Globalization.CultureInfo.InvariantCulture);
}
