using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Stack.GitOps;

namespace Stack.Hosting.Tests.GitOps;

/// <summary>Publish refuses what it cannot express, never half-writes a tree, and never fights promotion.</summary>
public sealed class GitOpsPublishRulesTests
{
    public static TheoryData<string, string> UnsupportedGraphs => new()
    {
        { "bind mount", "Resource 'web' bind-mounts" },
        { "executable", "Resource 'tool' is an executable" },
        { "untagged image", "Container 'web' uses image 'docker.io/library/nginx' without a pinned tag" },
        { "no image", "Container 'bare' has no image" },
        { "secret in a URI", "environment variable DB_URI embeds secret parameter 'postgres-password' with format 'uri'" },
    };

    [Theory]
    [MemberData(nameof(UnsupportedGraphs))]
    public async Task WhatKubernetesCannotRunFailsPublishWithOneMessageNamingTheResource(string feature, string message)
    {
        using var output = new TemporaryDirectory();
        var target = Path.Combine(output.Path, "deploy");

        var failure = await PublishedGraph.PublishFailureAsync(target, builder =>
        {
            builder.AddGitOpsEnvironment("gitops");
            switch (feature)
            {
                case "bind mount":
                    builder.AddContainer("web", "docker.io/library/nginx", "1.27.2").WithBindMount("/srv/site", "/usr/share/nginx/html");
                    break;
                case "executable":
                    builder.AddExecutable("tool", "/bin/echo", ".");
                    break;
                case "untagged image":
                    builder.AddContainer("web", "docker.io/library/nginx");
                    break;
                case "no image":
                    builder.AddResource(new ContainerResource("bare"));
                    break;
                case "secret in a URI":
                    // Aspire's own PostgreSQL password may hold characters a URI must escape.
                    var db = builder.AddPostgres("postgres").WithImageTag("15.14").AddDatabase("db");
                    builder.AddContainer("app", "docker.io/library/nginx", "1.27.2").WithReference(db);
                    break;
            }
        });

        Assert.Contains(message, failure);
        Assert.False(Directory.Exists(target), "A failed publish must not write anything.");
    }

    [Fact]
    public async Task AFailedPublishLeavesThePreviousTreeExactlyAsItWas()
    {
        using var work = new TemporaryDirectory();
        var target = Path.Combine(work.Path, "deploy");
        var before = Path.Combine(work.Path, "before");
        await PublishedGraph.PublishAsync(target, GitOpsPublishTests.GameGraph, $"--Parameters:server-key={GitOpsPublishTests.ServerKey}");
        TemporaryDirectory.CopyTree(target, before);

        // This graph renders fully, into a staging folder, and then fails the policy gate.
        var failure = await PublishedGraph.PublishFailureAsync(target, builder =>
        {
            GitOpsPublishTests.GameGraph(builder);
            builder.AddContainer("exporter", "quay.io/prometheus/node-exporter", "v1.8.2").WithEndpoint(targetPort: 9100, name: "metrics");
        }, $"--Parameters:server-key={GitOpsPublishTests.ServerKey}");

        Assert.Contains("do not pass the policy gate", failure);
        Assert.True(TreeDifference.Between(before, target).IsEmpty);
        Assert.Equal(["before", "deploy"], Directory.GetDirectories(work.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task TheSameGraphRendersByteIdenticalFiles()
    {
        using var work = new TemporaryDirectory();
        var first = Path.Combine(work.Path, "first");
        var second = Path.Combine(work.Path, "second");

        await PublishedGraph.PublishAsync(first, GitOpsPublishTests.GameGraph, $"--Parameters:server-key={GitOpsPublishTests.ServerKey}");
        await PublishedGraph.PublishAsync(second, GitOpsPublishTests.GameGraph, "--Parameters:server-key=another-value-entirely-0123456789");

        Assert.True(Directory.EnumerateFiles(first, "*", SearchOption.AllDirectories).Count() > 20);
        var difference = TreeDifference.Between(first, second);
        Assert.True(difference.IsEmpty, string.Join('\n', difference.Describe()));
    }

    [Fact]
    public async Task PublishKeepsPromotedTagsAndOnlyAddsImagesAnEnvironmentDoesNotListYet()
    {
        using var work = new TemporaryDirectory();
        var target = Path.Combine(work.Path, "deploy");
        var devImages = Path.Combine(target, "overlays", "dev", "images", "kustomization.yaml");
        var prodImages = Path.Combine(target, "overlays", "prod", "images", "kustomization.yaml");
        string[] key = [$"--Parameters:server-key={GitOpsPublishTests.ServerKey}"];

        await PublishedGraph.PublishAsync(target, GitOpsPublishTests.GameGraph, key);
        Assert.Equal("0.1.0", ImagesComponent.Read(await File.ReadAllTextAsync(devImages, TestContext.Current.CancellationToken))["ghcr.io/stack-games/api"]);

        var promoted = ImagesComponent.Promote(await File.ReadAllTextAsync(devImages, TestContext.Current.CancellationToken), "api", "2026.11.26-abc1234");
        await File.WriteAllTextAsync(devImages, promoted, TestContext.Current.CancellationToken);
        File.Delete(prodImages);

        // A new service joins the graph: it is added to the environment, the promoted tag stays.
        await PublishedGraph.PublishAsync(target, builder =>
        {
            GitOpsPublishTests.GameGraph(builder);
            builder.AddProject("stats", PublishedGraph.LeaderboardApiProject);
        }, key);

        var dev = await File.ReadAllTextAsync(devImages, TestContext.Current.CancellationToken);
        Assert.StartsWith(promoted, dev);
        Assert.Equal("2026.11.26-abc1234", ImagesComponent.Read(dev)["ghcr.io/stack-games/api"]);
        Assert.Equal("0.1.0", ImagesComponent.Read(dev)["ghcr.io/stack-games/stats"]);
        Assert.Equal(2, ImagesComponent.Read(await File.ReadAllTextAsync(prodImages, TestContext.Current.CancellationToken)).Count);

        var rendered = TypedManifests.LoadKustomization(Path.Combine(target, "overlays", "dev"));
        Assert.Contains(rendered.OfType<k8s.Models.V1Deployment>(), d => d.Spec.Template.Spec.Containers[0].Image == "ghcr.io/stack-games/api:2026.11.26-abc1234");
    }
}
