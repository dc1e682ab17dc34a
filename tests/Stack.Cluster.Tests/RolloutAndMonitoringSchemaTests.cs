using System.Text.Json.Nodes;
using Stack.Cluster.Tests.Kubernetes;

namespace Stack.Cluster.Tests;

/// <summary>
/// The Rollout, AnalysisTemplate, ServiceMonitors and PrometheusRule of every overlay, against the
/// upstream CRDs vendored in Crds/ (their OpenAPI schemas, with the API server's strict field
/// validation). The overlay syncs apply them too; here each kind is asked for by name, and a field
/// the schema does not know is shown to be refused.
/// </summary>
public sealed class RolloutAndMonitoringSchemaTests(ControlPlane controlPlane)
{
    private static readonly string[] Kinds = ["AnalysisTemplate", "PrometheusRule", "Rollout", "ServiceMonitor"];

    public static TheoryData<string> Environments => [.. PublishedOverlays.Environments];

    [Theory]
    [MemberData(nameof(Environments))]
    public async Task EveryOverlaysRolloutAnalysisTemplateServiceMonitorAndPrometheusRulePassTheirCrdSchemas(string environment)
    {
        var objects = await ObjectsAsync(environment);
        Assert.Equal(Kinds, objects.Select(item => item.Kind).Distinct().Order(StringComparer.Ordinal));

        var result = await DryRunAsync($"schemas-{environment}", objects);

        Assert.True(result.ExitCode == 0, result.AllOutput);
    }

    [Fact]
    public async Task AFieldTheSchemasDoNotKnowIsRefused()
    {
        var objects = await ObjectsAsync("prod");
        var monitor = objects.Single(item => item.Kind == "ServiceMonitor" && item.Json["metadata"]!["name"]!.GetValue<string>() == "leaderboard-api").Json.DeepClone().AsObject();
        var endpoint = monitor["spec"]!["endpoints"]![0]!.AsObject();
        endpoint["relabellings"] = endpoint["relabelings"]!.DeepClone();
        endpoint.Remove("relabelings");
        var rollout = objects.Single(item => item.Kind == "Rollout").Json.DeepClone().AsObject();
        rollout["spec"]!["strategy"]!["blueGreen"]!["autoPromotion"] = true;

        foreach (var broken in new[] { monitor, rollout })
        {
            var result = await DryRunAsync("schemas-broken", [new KubeObject(broken)]);

            Assert.NotEqual(0, result.ExitCode);
            Assert.Contains("unknown field", result.AllOutput, StringComparison.Ordinal);
        }
    }

    private async Task<List<KubeObject>> ObjectsAsync(string environment)
    {
        var folder = Path.Combine(Repository.Deploy, "overlays", environment);
        return [.. KubeObject.Parse(await controlPlane.Cluster.Kubectl.KustomizeAsync(folder), folder).Where(item => Kinds.Contains(item.Kind))];
    }

    private async Task<CommandLine.Result> DryRunAsync(string @namespace, IEnumerable<KubeObject> objects)
    {
        await controlPlane.Cluster.EnsureNamespaceAsync(@namespace);
        var placed = objects.Select(item =>
        {
            var json = item.Json.DeepClone().AsObject();
            (json["metadata"] as JsonObject)?.Remove("namespace");
            return new KubeObject(json);
        });
        return await controlPlane.Cluster.Kubectl.ApplyAsync(placed, @namespace, dryRun: true);
    }
}
