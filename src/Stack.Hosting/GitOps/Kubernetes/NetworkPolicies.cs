using Stack.Hosting.GitOps.Graph;

namespace Stack.Hosting.GitOps.Kubernetes;

/// <summary>
/// NetworkPolicies derived from the graph. The namespace denies all traffic by default; each
/// <c>WithReference</c> edge opens exactly one egress rule on its source and one ingress rule on
/// its target, on the target's ports. External HTTP endpoints accept the ingress controller only.
/// A workload nobody references has no ingress rule, so nothing can reach it.
/// </summary>
internal sealed class NetworkPolicies(GitOpsEnvironmentResource environment, IReadOnlyList<WorkloadEdge> edges)
{
    private const string NamespaceNameLabel = "kubernetes.io/metadata.name";

    /// <summary>Policies for the whole namespace: deny everything, then allow DNS lookups.</summary>
    public IEnumerable<(string File, object Manifest)> RenderNamespacePolicies()
    {
        yield return ("default-deny.yaml", Policy("default-deny", Yaml.Map(), ingress: [], egress: []));
        yield return ("allow-dns.yaml", Policy("allow-dns", Yaml.Map(), ingress: null, egress:
        [
            Yaml.Map(
                ("to", Yaml.List(Yaml.Map(
                    ("namespaceSelector", Yaml.Map(("matchLabels", Yaml.Map((NamespaceNameLabel, "kube-system"))))),
                    ("podSelector", Yaml.Map(("matchLabels", Yaml.Map(("k8s-app", "kube-dns")))))))),
                ("ports", Yaml.List(Yaml.Map(("port", 53), ("protocol", "UDP")), Yaml.Map(("port", 53), ("protocol", "TCP"))))),
        ]));
    }

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
                ("from", Yaml.List(Yaml.Map(("namespaceSelector", Yaml.Map(("matchLabels", Yaml.Map((NamespaceNameLabel, environment.IngressControllerNamespace)))))))),
                ("ports", Yaml.List(Yaml.Map(("port", port.Port), ("protocol", port.Protocol))))));
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
        target.Ports.Select(p => (object)Yaml.Map(("port", p.Port), ("protocol", p.Protocol))).ToList();

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

        // An empty selector (every pod) and an empty rule list (deny) are meaningful, so they are
        // written out rather than dropped like other empty values.
        var spec = new OrderedDictionary<string, object>(StringComparer.Ordinal) { ["podSelector"] = podSelector, ["policyTypes"] = types };
        if (ingress is not null)
        {
            spec["ingress"] = ingress;
        }

        if (egress is not null)
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
