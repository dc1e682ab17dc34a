using Aspire.Hosting;
using k8s.Models;

namespace Stack.Hosting.Tests.GitOps;

/// <summary>Settings an environment changes for one resource: a patch of that resource's ConfigMap, in that overlay only.</summary>
public sealed class EnvironmentSettingsTests
{
    [Fact]
    public async Task AnEnvironmentsSettingOverridesTheBaseConfigMapThereOnly()
    {
        using var output = new TemporaryDirectory();
        await PublishedGraph.PublishAsync(output.Path, builder =>
        {
            var web = builder.AddProject("web", PublishedGraph.LeaderboardApiProject).WithExternalHttpEndpoints()
                .PublishAsKubernetes(kubernetes => kubernetes.Environment["Leaderboard__RateLimits__Anonymous"] = "20");
            builder.AddGitOpsEnvironment("gitops")
                .WithImageRegistry(builder.AddParameter("registry", "ghcr.io/stack-games"))
                .WithDeployEnvironment("dev")
                .WithDeployEnvironment("prod", prod => prod
                    .WithSetting(web, "Leaderboard__RateLimits__Anonymous", "50")
                    .WithSetting(web, "Leaderboard__TrustedProxies", "10.244.0.0/16"));
        });

        var dev = TypedManifests.LoadKustomization(Path.Combine(output.Path, "overlays", "dev")).OfType<V1ConfigMap>().Single(map => map.Metadata.Name == "web-config");
        var prod = TypedManifests.LoadKustomization(Path.Combine(output.Path, "overlays", "prod")).OfType<V1ConfigMap>().Single(map => map.Metadata.Name == "web-config");

        Assert.Equal("20", dev.Data["Leaderboard__RateLimits__Anonymous"]);
        Assert.False(dev.Data.ContainsKey("Leaderboard__TrustedProxies"));
        Assert.Equal("50", prod.Data["Leaderboard__RateLimits__Anonymous"]);
        Assert.Equal("10.244.0.0/16", prod.Data["Leaderboard__TrustedProxies"]);
        Assert.Equal(dev.Data["OTEL_SERVICE_NAME"], prod.Data["OTEL_SERVICE_NAME"]);
    }
}
