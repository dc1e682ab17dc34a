using System.Globalization;
using Stack.Hosting.GitOps.Graph;
using Stack.Hosting.Observability;

namespace Stack.Hosting.GitOps.Kubernetes;

/// <summary>
/// What one environment's Prometheus and Grafana get from the graph, in the overlay's
/// <c>monitoring/</c> folder: a ServiceMonitor per service (its metrics Service's management
/// port, with the pods' rollouts-pod-template-hash kept as a label), one PrometheusRule with the
/// recording rules and the SLO alerts at this environment's objectives (<see cref="SloRules"/>, the
/// same groups the local Prometheus loads), the Grafana dashboard as a ConfigMap the Grafana sidecar
/// loads (label <c>grafana_dashboard: "1"</c>), and for each blue-green service the AnalysisTemplate
/// its promotion waits for. Per environment, because objectives, the Prometheus address, the
/// operator's selector label and the dashboard's namespace differ.
/// </summary>
internal sealed class MonitoringManifests(GitOpsEnvironmentResource environment, DeployEnvironment target, WorkloadGraph graph)
{
    /// <summary>The folder of these files inside an overlay.</summary>
    public const string Folder = "monitoring";

    /// <summary>The label (and value) the Grafana sidecar loads dashboards by.</summary>
    public static readonly KeyValuePair<string, string> GrafanaDashboardLabel = new("grafana_dashboard", "1");

    /// <summary>The workloads Prometheus scrapes: those with a management port.</summary>
    private List<Workload> Observed => [.. graph.Workloads.Where(w => w.ManagementPort is not null)];

    private KeyValuePair<string, string> Selector => target.PrometheusSelector ?? environment.PrometheusSelector;

    /// <summary>The files, by path inside the overlay.</summary>
    public IEnumerable<(string File, object Manifest)> Render()
    {
        var observed = Observed;
        if (observed.Count == 0)
        {
            yield break;
        }

        foreach (var workload in observed)
        {
            yield return ($"{Folder}/{workload.Name}-servicemonitor.yaml", ServiceMonitor(workload));
        }

        yield return ($"{Folder}/prometheusrule.yaml", PrometheusRule(observed));
        yield return ($"{Folder}/dashboard-configmap.yaml", Dashboard(observed));
        foreach (var workload in observed.Where(w => w.IsBlueGreen))
        {
            yield return ($"{Folder}/{workload.Name}-analysistemplate.yaml", AnalysisTemplate(workload, workload.Settings.BlueGreenRelease!));
        }
    }

    /// <summary>The objectives of <paramref name="workload"/> in this environment.</summary>
    public ServiceObjectives ObjectivesOf(Workload workload) =>
        target.Objectives.TryGetValue(workload.Name, out var change) ? change(workload.Objectives) : workload.Objectives;

    /// <summary>The rule groups of this environment (what its PrometheusRule holds).</summary>
    public List<object> RuleGroups() => SloRules.Groups(Observed.Select(w => new ObservedService(w.Name, ObjectivesOf(w))));

    private OrderedDictionary<string, object> Metadata(string name, string component, bool selected) => Yaml.Map(
        ("name", name),
        ("labels", Yaml.Sorted([
            new(Labels.Name, name), new(Labels.PartOf, environment.PartOf), new(Labels.Component, component), new(Labels.ManagedBy, "stack-gitops"),
            .. selected ? [Selector] : Array.Empty<KeyValuePair<string, string>>()])),
        // Before the workloads: an analysis must find its template, Prometheus its targets from the start.
        ("annotations", Yaml.Map((Labels.SyncWave, "-1"))));

    private object ServiceMonitor(Workload workload) => Yaml.Map(
        ("apiVersion", "monitoring.coreos.com/v1"),
        ("kind", "ServiceMonitor"),
        ("metadata", Metadata(workload.Name, "monitoring", selected: true)),
        ("spec", Yaml.Map(
            // job="<resource>", as locally: the rules, alerts and dashboard select by it.
            ("jobLabel", Labels.Name),
            ("selector", Yaml.Map(("matchLabels", Yaml.Sorted([
                new(Labels.Name, workload.Name), new(Labels.PartOf, environment.PartOf), new(Labels.Component, WorkloadManifests.MetricsComponent)])))),
            ("endpoints", Yaml.List(Yaml.Map(
                ("port", workload.ManagementPort!.Name),
                ("path", ManagementEndpoint.MetricsPath),
                ("interval", "30s"),
                // Which ReplicaSet of a blue-green release a series comes from: the analysis asks for the preview's.
                ("relabelings", Yaml.List(Yaml.Map(
                    ("action", "replace"),
                    ("sourceLabels", Yaml.List("__meta_kubernetes_pod_label_" + MetricNames.RolloutHashPodLabel.Replace('-', '_'))),
                    ("targetLabel", MetricNames.RolloutHashLabel))))))))));

    private object PrometheusRule(IReadOnlyList<Workload> observed) => Yaml.Map(
        ("apiVersion", "monitoring.coreos.com/v1"),
        ("kind", "PrometheusRule"),
        ("metadata", Metadata($"{environment.PartOf}-slo", "monitoring", selected: true)),
        ("spec", Yaml.Map(("groups", RuleGroups()))));

    private object Dashboard(IReadOnlyList<Workload> observed)
    {
        var metadata = Metadata($"{environment.PartOf}-dashboard", "dashboard", selected: false);
        ((OrderedDictionary<string, object>)metadata["labels"])[GrafanaDashboardLabel.Key] = GrafanaDashboardLabel.Value;
        var json = GrafanaDashboard.Render(environment.PartOf, target.Name, target.Namespace,
            observed.Select(w => new DashboardRow(w.Name, ObjectivesOf(w), w.DashboardPanels)));
        return Yaml.Map(
            ("apiVersion", "v1"),
            ("kind", "ConfigMap"),
            ("metadata", metadata),
            ("data", Yaml.Map(($"{environment.PartOf}.json", json))));
    }

    private object AnalysisTemplate(Workload workload, BlueGreenSettings blueGreen)
    {
        var objectives = ObjectivesOf(workload);
        var maxP95 = blueGreen.MaxP95 is { } p95 ? new ServiceObjectives(p95, objectives.MaxErrorRatio, objectives.Availability).LatencyP95Seconds : objectives.LatencyP95Seconds;
        var maxErrorRatio = blueGreen.MaxErrorRatio is { } ratio ? new ServiceObjectives(objectives.LatencyP95, ratio, objectives.Availability).MaxErrorRatioText : objectives.MaxErrorRatioText;
        var (ns, service, hash) = AnalysisQueries.TemplateArgs;
        var address = (target.PrometheusAddress ?? environment.PrometheusAddress).ToString().TrimEnd('/');

        // A measurement passes within bounds, fails beyond them, and is inconclusive without data
        // (no traffic reached the preview pods: NaN or no sample), which pauses the release for a person.
        object Metric(string name, string query, string bound) => Yaml.Map(
            ("name", name),
            ("initialDelay", Duration(blueGreen.InitialDelay)),
            ("interval", Duration(blueGreen.Interval)),
            ("count", blueGreen.Measurements),
            ("failureLimit", 0),
            ("successCondition", $"len(result) == 1 && result[0] <= {{{{args.{bound}}}}}"),
            ("failureCondition", $"len(result) == 1 && result[0] > {{{{args.{bound}}}}}"),
            ("provider", Yaml.Map(("prometheus", Yaml.Map(("address", address), ("query", query))))));

        return Yaml.Map(
            ("apiVersion", WorkloadManifests.RolloutApiVersion),
            ("kind", "AnalysisTemplate"),
            ("metadata", Metadata(WorkloadManifests.AnalysisTemplateName(workload), "analysis", selected: false)),
            ("spec", Yaml.Map(
                ("args", Yaml.List(
                    Yaml.Map(("name", "namespace"), ("value", target.Namespace)),
                    Yaml.Map(("name", "service"), ("value", workload.Name)),
                    Yaml.Map(("name", "preview-hash")),
                    Yaml.Map(("name", "max-p95-seconds"), ("value", maxP95)),
                    Yaml.Map(("name", "max-error-ratio"), ("value", maxErrorRatio)))),
                ("metrics", Yaml.List(
                    Metric("p95-latency", AnalysisQueries.P95(ns, service, hash), "max-p95-seconds"),
                    Metric("error-ratio", AnalysisQueries.ErrorRatio(ns, service, hash), "max-error-ratio"))))));
    }

    private static string Duration(TimeSpan value) => value.TotalSeconds % 60 == 0 && value >= TimeSpan.FromMinutes(1)
        ? $"{(int)value.TotalMinutes}m"
        : $"{(int)value.TotalSeconds}s".ToString(CultureInfo.InvariantCulture);
}
