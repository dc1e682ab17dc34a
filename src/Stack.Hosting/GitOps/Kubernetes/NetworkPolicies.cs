using Stack.Hosting.GitOps.Graph;

namespace Stack.Hosting.GitOps.Kubernetes;

/// <summary>
/// NetworkPolicies derived from the graph. The namespace denies all traffic by default; each
/// <c>WithReference</c> edge opens exactly one egress rule on its source and one ingress rule on
/// its target, on the target's ports. External HTTP endpoints accept the ingress controller only;
/// management ports (Prometheus' <c>/metrics</c>) accept the monitoring namespace only.
/// A workload nobody references has no ingress rule, so nothing can reach it. Rendered for the base
/// (<paramref name="target"/> null) or for one environment's settings (its DNS and ingress controller).
/// </summary>
internal sealed class NetworkPolicies(GitOpsEnvironmentResource environment, IReadOnlyList<WorkloadEdge> edges, DeployEnvironment? target = null)
{
    private const string NamespaceNameLabel = "kubernetes.io/metadata.name";

    /// <summary>The name of the policy that lets every pod look names up.</summary>
    public const string AllowDnsName = "allow-dns";

    /// <summary>Policies for the whole namespace: deny everything, then allow DNS lookups.</summary>
    public IEnumerable<(string File, object Manifest)> RenderNamespacePolicies()
    {
        yield return ("default-deny.yaml", Policy("default-deny", Yaml.Map(), ingress: [], egress: []));
        yield return ($"{AllowDnsName}.yaml", RenderAllowDns());
    }

    /// <summary>DNS lookups, over UDP and TCP, to the environment's DNS servers (kube-dns unless it names others).</summary>
    public object RenderAllowDns() => Policy(AllowDnsName, Yaml.Map(), ingress: null, egress:
    [
        .. (target?.Dns ?? [DnsPeer.KubeDns()]).Select(peer => Yaml.Map(
            ("to", Yaml.List(peer.Cidr is { } cidr
                ? Yaml.Map(("ipBlock", Yaml.Map(("cidr", cidr))))
                : Yaml.Map(
                    ("namespaceSelector", Yaml.Map(("matchLabels", Yaml.Map((NamespaceNameLabel, peer.Namespace))))),
                    ("podSelector", Yaml.Map(("matchLabels", Yaml.Sorted(peer.PodLabels!))))))),
            ("ports", Yaml.List(Yaml.Map(("port", peer.Port), ("protocol", "UDP")), Yaml.Map(("port", peer.Port), ("protocol", "TCP")))))),
    ]);

    /// <summary>The policy of <paramref name="workload"/>'s migration Job: the workload's egress, no ingress.</summary>
    public object RenderMigrationJob(Workload workload) =>
        Policy(WorkloadManifests.MigrationJobName(workload), Yaml.Map(("matchLabels", Labels.Selector(WorkloadManifests.MigrationJobName(workload), environment.PartOf))), ingress: [], Egress(workload));

    private static IEnumerable<string> PodsOf(Workload workload) =>
        workload.Settings.MigrationArgs is null ? [workload.Name] : [workload.Name, WorkloadManifests.MigrationJobName(workload)];

    /// <summary>The one policy of <paramref name="workload"/>: who may reach it and whom it may reach.</summary>
    public object Render(Workload workload)
    {
        var ingress = new List<object>();
        foreach (var edge in edges.Where(e => e.Target == workload))
        {
            // The source's migration Job uses the same references as the source itself.
            ingress.Add(Yaml.Map(
                ("from", PodsOf(edge.Source).Select(pods => (object)Yaml.Map(("podSelector", Yaml.Map(("matchLabels", Labels.Selector(pods, environment.PartOf)))))).ToList()),
                ("ports", Ports(workload))));
        }

        foreach (var port in workload.Ports.Where(p => p.IsExternal && p.IsHttp))
        {
            ingress.Add(Yaml.Map(
                ("from", Yaml.List(Yaml.Map(("namespaceSelector", Yaml.Map(("matchLabels", Yaml.Map((NamespaceNameLabel, target?.IngressControllerNamespace ?? environment.IngressControllerNamespace)))))))),
                ("ports", Yaml.List(Yaml.Map(("port", port.Port), ("protocol", port.Protocol))))));
        }

        if (workload.ManagementPort is { } management)
        {
            ingress.Add(Yaml.Map(
                ("from", Yaml.List(Yaml.Map(("namespaceSelector", Yaml.Map(("matchLabels", Yaml.Map((NamespaceNameLabel, environment.MonitoringNamespace)))))))),
                ("ports", Yaml.List(Yaml.Map(("port", management.Port), ("protocol", management.Protocol))))));
        }

        return Policy(workload.Name, Yaml.Map(("matchLabels", Labels.Selector(workload.Name, environment.PartOf))), ingress, Egress(workload));
    }

    private List<object> Egress(Workload workload)
    {
        var egress = new List<object>();
        foreach (var edge in edges.Where(e => e.Source == workload))
        {
            egress.Add(Yaml.Map(
                ("to", Yaml.List(Yaml.Map(("podSelector", Yaml.Map(("matchLabels", Labels.Selector(edge.Target.Name, environment.PartOf))))))),
                ("ports", Ports(edge.Target))));
        }

        if (workload.Config.ContainsKey(TelemetrySettings.EndpointVariable))
        {
            egress.Add(Yaml.Map(
                ("to", Yaml.List(Yaml.Map(("namespaceSelector", Yaml.Map(("matchLabels", Yaml.Map((NamespaceNameLabel, TelemetrySettings.CollectorNamespace(environment))))))))),
                ("ports", Yaml.List(Yaml.Map(("port", environment.OtlpCollector.Port), ("protocol", "TCP"))))));
        }

        return egress;
    }

    private List<object> Ports(Workload target) =>
        target.ServicePorts.Select(p => (object)Yaml.Map(("port", p.Port), ("protocol", p.Protocol))).ToList();

    private OrderedDictionary<string, object> Policy(string name, OrderedDictionary<string, object> podSelector, List<object>? ingress, List<object>? egress)
    {
        var types = new List<object>();
        if (ingress is not null)
        {
            types.Add("Ingress");
        }

        if (egress is not null)
        {
            types.Add("Egress");
        }

        // An empty selector (every pod) is meaningful, so it is written out. A direction listed in
        // policyTypes without rules denies everything; the API server stores no empty rule list,
        // so none is written (one would differ from the live object after every sync).
        var spec = new OrderedDictionary<string, object>(StringComparer.Ordinal) { ["podSelector"] = podSelector, ["policyTypes"] = types };
        if (ingress is { Count: > 0 })
        {
            spec["ingress"] = ingress;
        }

        if (egress is { Count: > 0 })
        {
            spec["egress"] = egress;
        }

        return Yaml.Map(
            ("apiVersion", "networking.k8s.io/v1"),
            ("kind", "NetworkPolicy"),
            ("metadata", Yaml.Map(
                ("name", name),
                ("labels", Yaml.Sorted([new(Labels.PartOf, environment.PartOf), new(Labels.ManagedBy, "stack-gitops")])),
                // Policies land before any pod, so no pod ever runs unfenced.
                ("annotations", Yaml.Map((Labels.SyncWave, "-1"))))),
            ("spec", spec));
    }
}
