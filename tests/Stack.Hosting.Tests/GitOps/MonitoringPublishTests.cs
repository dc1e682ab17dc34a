using System.Text.Json;
using Aspire.Hosting;
using k8s.Models;
using Stack.Hosting.Observability;

namespace Stack.Hosting.Tests.GitOps;

/// <summary>What each environment's Prometheus and Grafana get from the graph: ServiceMonitors, the PrometheusRule, the dashboard, and the fence around the management ports.</summary>
public sealed class MonitoringPublishTests
{
    private static async Task<(string Output, List<object> Dev, List<object> Prod)> PublishAsync(TemporaryDirectory output)
    {
        await PublishedGraph.PublishAsync(output.Path, builder =>
        {
            GitOpsPublishTests.GameGraph(builder);
            var api = builder.Resources.OfType<Aspire.Hosting.ApplicationModel.ProjectResource>().Single();
            builder.CreateResourceBuilder(api)
                .WithServiceObjectives(latencyP95: TimeSpan.FromMilliseconds(200))
                .WithDashboardPanel(new DashboardPanel("Index entries", "max by (leaderboard_board) (leaderboard_index_entries{selector})", "short", "{{leaderboard_board}}"));
        }, $"--Parameters:server-key={GitOpsPublishTests.ServerKey}");
        return (output.Path, TypedManifests.LoadKustomization(Path.Combine(output.Path, "overlays", "dev")), TypedManifests.LoadKustomization(Path.Combine(output.Path, "overlays", "prod")));
    }

    [Fact]
    public async Task EveryProjectGetsAServiceMonitorOnTheManagementPortOfAMetricsServiceThatSelectsAllItsPods()
    {
        using var output = new TemporaryDirectory();
        var (_, dev, _) = await PublishAsync(output);

        // Projects only: the data stores serve no /metrics.
        var monitor = Assert.Single(dev.OfType<Monitoring.ServiceMonitor>());
        Assert.Equal("api", monitor.Metadata.Name);
        Assert.Equal("kube-prometheus-stack", monitor.Metadata.Labels["release"]);
        Assert.Equal("app.kubernetes.io/name", monitor.Spec.JobLabel);
        var endpoint = Assert.Single(monitor.Spec.Endpoints);
        Assert.Equal(("management", "/metrics"), (endpoint.Port, endpoint.Path));
        var relabel = Assert.Single(endpoint.Relabelings);
        Assert.Equal(["__meta_kubernetes_pod_label_rollouts_pod_template_hash"], relabel.SourceLabels);
        Assert.Equal("rollouts_pod_template_hash", relabel.TargetLabel);

        // It selects exactly the metrics Service, which selects every pod of the API and has only the management port.
        var selected = dev.OfType<V1Service>().Where(s => monitor.Spec.Selector.MatchLabels.All(l => s.Metadata.Labels.TryGetValue(l.Key, out var v) && v == l.Value)).ToList();
        var metrics = Assert.Single(selected);
        Assert.Equal("api-metrics", metrics.Metadata.Name);
        Assert.Equal("None", metrics.Spec.ClusterIP);
        Assert.Equal(("management", 9464), (Assert.Single(metrics.Spec.Ports).Name, metrics.Spec.Ports[0].Port));
        var pods = Assert.Single(dev.OfType<V1Deployment>()).Spec.Template.Metadata.Labels;
        Assert.All(metrics.Spec.Selector, label => Assert.Equal(label.Value, pods[label.Key]));

        // The Service callers and the Ingress use has no management port: nothing routes /metrics from outside.
        Assert.Equal(["http"], dev.OfType<V1Service>().Single(s => s.Metadata.Name == "api").Spec.Ports.Select(p => p.Name));
    }

    [Fact]
    public async Task ThePrometheusRuleHoldsTheGeneratedGroupsAtEachEnvironmentsObjectives()
    {
        using var output = new TemporaryDirectory();
        var (_, dev, prod) = await PublishAsync(output);

        var rule = Assert.Single(dev.OfType<Monitoring.PrometheusRule>());
        Assert.Equal("kube-prometheus-stack", rule.Metadata.Labels["release"]);
        Assert.Equal([SloRules.RecordingGroup, SloRules.AlertGroup], rule.Spec.Groups.Select(g => g.Name));
        var records = rule.Spec.Groups[0].Rules.Select(r => r.Record).ToList();
        Assert.Contains(SloRules.RouteLatency("p95"), records);
        Assert.Contains(SloRules.RouteRequestRate, records);
        Assert.Contains(SloRules.RouteErrorRatio, records);
        var p95 = Assert.Single(rule.Spec.Groups[1].Rules, r => r.Alert == "HttpLatencyP95AboveObjective");
        Assert.Equal($"{SloRules.RouteLatency("p95")}{{job=\"api\"}} > 0.2", p95.Expr);
        Assert.Equal("5m", p95.For);
        Assert.Equal(["ErrorBudgetBurnFast", "ErrorBudgetBurnSlow", "HttpLatencyP95AboveObjective", "HttpServerErrorRatioAboveObjective"],
            rule.Spec.Groups[1].Rules.Select(r => r.Alert!).Order(StringComparer.Ordinal));

        // The same text as the rules file the local Prometheus loads, for the same objectives.
        var expected = new YamlDotNet.Serialization.DeserializerBuilder().Build().Deserialize<Dictionary<string, object>>(
            SloRules.RulesFile([new ObservedService("api", new ServiceObjectives(TimeSpan.FromMilliseconds(200), 0.01, 0.999))]));
        var published = PromtoolTestsRulesFile(Path.Combine(output.Path, "overlays", "dev", "monitoring", "prometheusrule.yaml"));
        var yaml = new YamlDotNet.Serialization.SerializerBuilder().Build();
        Assert.Equal(yaml.Serialize(expected), yaml.Serialize(published));
        Assert.Equal(rule.Spec.Groups.Count, Assert.Single(prod.OfType<Monitoring.PrometheusRule>()).Spec.Groups.Count);
    }

    [Fact]
    public async Task TheDashboardIsAConfigMapTheGrafanaSidecarLoadsWithOneRowPerServiceInTheEnvironmentsNamespace()
    {
        using var output = new TemporaryDirectory();
        var (_, dev, prod) = await PublishAsync(output);

        foreach (var (objects, environment) in new[] { (dev, "dev"), (prod, "prod") })
        {
            var configMap = Assert.Single(objects.OfType<V1ConfigMap>(), c => c.Metadata.Labels.ContainsKey("grafana_dashboard"));
            Assert.Equal("1", configMap.Metadata.Labels["grafana_dashboard"]);
            using var dashboard = JsonDocument.Parse(configMap.Data["stack.json"]);
            Assert.Equal($"stack-{environment}", dashboard.RootElement.GetProperty("uid").GetString());
            var panels = dashboard.RootElement.GetProperty("panels").EnumerateArray().ToList();
            Assert.Equal(["api"], panels.Where(p => p.GetProperty("type").GetString() == "row").Select(p => p.GetProperty("title").GetString()));
            Assert.Equal(["Requests per second by route", "p95 latency by route", "5xx ratio by route", "Saturation: CPU per pod, requests in flight", "Index entries"],
                panels.Where(p => p.GetProperty("type").GetString() == "timeseries").Select(p => p.GetProperty("title").GetString()));
            var queries = panels.Where(p => p.TryGetProperty("targets", out _)).SelectMany(p => p.GetProperty("targets").EnumerateArray()).Select(t => t.GetProperty("expr").GetString()!).ToList();
            Assert.All(queries, query => Assert.Contains($"namespace=\"stack-{environment}\",job=\"api\"", query, StringComparison.Ordinal));
            Assert.Contains("max by (leaderboard_board) (leaderboard_index_entries{namespace=\"stack-" + environment + "\",job=\"api\"})", queries);
        }

        // Same graph, same bytes.
        using var again = new TemporaryDirectory();
        await PublishAsync(again);
        Assert.Equal(
            await File.ReadAllTextAsync(Path.Combine(output.Path, "overlays", "dev", "monitoring", "dashboard-configmap.yaml"), TestContext.Current.CancellationToken),
            await File.ReadAllTextAsync(Path.Combine(again.Path, "overlays", "dev", "monitoring", "dashboard-configmap.yaml"), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task OnlyTheMonitoringNamespaceReachesTheManagementPort()
    {
        using var output = new TemporaryDirectory();
        var (_, dev, _) = await PublishAsync(output);

        var policies = dev.OfType<V1NetworkPolicy>().ToDictionary(p => p.Metadata.Name);
        var toManagement = policies["api"].Spec.Ingress.Where(rule => rule.Ports.Any(p => p.Port.Value == "9464")).ToList();
        var rule = Assert.Single(toManagement);
        Assert.Equal("monitoring", Assert.Single(rule.FromProperty).NamespaceSelector.MatchLabels["kubernetes.io/metadata.name"]);
        Assert.Single(rule.Ports);

        // What references the API (nothing here) or what the API references never opens the management port.
        Assert.All(policies.Values.SelectMany(p => p.Spec.Egress ?? []).SelectMany(r => r.Ports ?? []), port => Assert.NotEqual("9464", port.Port.Value));
    }

    private static Dictionary<string, object> PromtoolTestsRulesFile(string prometheusRule) =>
        new YamlDotNet.Serialization.DeserializerBuilder().Build().Deserialize<Dictionary<string, object>>(Observability.PromtoolTests.RulesFileOf(prometheusRule));
}
