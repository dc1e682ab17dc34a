using Stack.GitOps;
using Stack.Hosting.GitOps.Graph;

namespace Stack.Hosting.GitOps.Kubernetes;

/// <summary>
/// One environment's overlay: its namespace, what it changes from the base (replicas, sizes,
/// host names, ingress, DNS servers), where its secrets come from, what its Prometheus and Grafana
/// get (<see cref="MonitoringManifests"/>), and the images component that promotion owns.
/// <paramref name="released"/>: whether the environment has a release (Argo CD deploys it), which its
/// Namespace says in <see cref="DeployTree.ReleasedLabel"/> for the policies.
/// </summary>
internal sealed class OverlayManifests(GitOpsEnvironmentResource environment, DeployEnvironment target, WorkloadGraph graph, bool released)
{
    /// <summary>The label our environment namespaces carry; admission policies bind to it.</summary>
    public const string PolicyLabel = "stack.dev/policy";

    /// <summary>Files of the overlay, by path inside it, except the images component.</summary>
    public IEnumerable<(string File, object Manifest)> Render()
    {
        var patches = Patches().ToList();
        var monitoring = new MonitoringManifests(environment, target, graph).Render().ToList();
        var resources = new List<object> { DeployTree.BaseFromOverlay, DeployTree.NamespaceFileName };
        var fillsSecret = environment.ExternalSecretStore is not null && SecretKeys().Count > 0;
        if (fillsSecret)
        {
            resources.Add("externalsecret.yaml");
        }

        resources.AddRange(monitoring.Select(m => m.File));

        yield return (DeployTree.Kustomization, Yaml.Map(
            ("apiVersion", "kustomize.config.k8s.io/v1beta1"),
            ("kind", "Kustomization"),
            ("namespace", target.Namespace),
            ("resources", resources),
            ("components", Yaml.List(DeployTree.ImagesComponentFolder)),
            ("patches", patches.Select(p => (object)Yaml.Map(("path", p.File), ("target", p.Target))).ToList())));

        yield return (DeployTree.NamespaceFileName, Namespace());
        if (fillsSecret)
        {
            yield return ("externalsecret.yaml", ExternalSecret());
        }

        foreach (var file in monitoring)
        {
            yield return file;
        }

        foreach (var patch in patches)
        {
            yield return (patch.File, patch.Manifest);
        }
    }

    /// <summary>
    /// A patch file of the overlay: a strategic merge patch, or (with <paramref name="Target"/>) a JSON
    /// patch, which custom kinds need: kustomize knows no merge keys for them and would replace a
    /// Rollout's whole container list with the patch's.
    /// </summary>
    private sealed record Patch(string File, object Manifest, object? Target = null)
    {
        public static implicit operator Patch((string File, object Manifest) patch) => new(patch.File, patch.Manifest);
    }

    // The Rollout's size and replicas, as JSON patch operations on its only container.
    private static Patch RolloutPatch(Workload workload, int? replicas, WorkloadSize? size)
    {
        var operations = new List<object>();
        if (replicas is { } count)
        {
            operations.Add(Yaml.Map(("op", "add"), ("path", "/spec/replicas"), ("value", count)));
        }

        if (size is not null)
        {
            operations.Add(Yaml.Map(("op", "replace"), ("path", "/spec/template/spec/containers/0/resources"), ("value", Yaml.Map(
                ("requests", Yaml.Map(("cpu", size.CpuRequest), ("memory", size.MemoryRequest))),
                ("limits", Yaml.Map(("cpu", size.CpuLimit), ("memory", size.MemoryLimit)))))));
        }

        var (apiVersion, kind) = WorkloadManifests.Controller(workload);
        return new Patch($"patches/{workload.Name}-{kind.ToLowerInvariant()}.yaml", operations,
            Yaml.Map(("group", apiVersion.Split('/')[0]), ("version", apiVersion.Split('/')[1]), ("kind", kind), ("name", workload.Name)));
    }

    private object Namespace() => Yaml.Map(
        ("apiVersion", "v1"),
        ("kind", "Namespace"),
        ("metadata", Yaml.Map(
            ("name", target.Namespace),
            ("labels", Yaml.Sorted(
            [
                new(Labels.PartOf, environment.PartOf),
                // Sigstore's policy-controller admits only signed images of ours here (WithImageSigning).
                .. (environment.SigningPublicKey is null ? (KeyValuePair<string, string>[])[] : [new(Admission.ImageAdmissionManifests.IncludeLabel, "true")]),
                new("stack.dev/environment", target.Name),
                new(PolicyLabel, "enforced"),
                // Released: the environment has a release file, so Argo CD deploys it; promotion sets it.
                new(DeployTree.ReleasedLabel, released ? "true" : "false"),
                // The restricted Pod Security Standard matches what every workload here declares.
                new("pod-security.kubernetes.io/enforce", "restricted"),
            ])),
            ("annotations", Yaml.Map(
                (Labels.SyncWave, "-2"),
                // Deleting the namespace deletes every volume claim in it: neither removing it from
                // git (prune) nor deleting the environment's Application may do that.
                (Labels.SyncOptions, "Prune=false,Delete=false"))))));

    private List<string> SecretKeys() =>
        graph.Workloads.SelectMany(w => w.SecretKeys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    private object ExternalSecret() => Yaml.Map(
        ("apiVersion", "external-secrets.io/v1"),
        ("kind", "ExternalSecret"),
        ("metadata", Yaml.Map(
            ("name", environment.SecretName),
            ("labels", Yaml.Sorted([new(Labels.PartOf, environment.PartOf), new(Labels.ManagedBy, "stack-gitops")])),
            ("annotations", Yaml.Map((Labels.SyncWave, "-1"))))),
        ("spec", Yaml.Map(
            ("refreshInterval", "1h"),
            ("secretStoreRef", Yaml.Map(("kind", "ClusterSecretStore"), ("name", environment.ExternalSecretStore))),
            ("target", Yaml.Map(("name", environment.SecretName), ("creationPolicy", "Owner"))),
            ("data", SecretKeys().Select(key => (object)Yaml.Map(
                ("secretKey", key),
                ("remoteRef", Yaml.Map(("key", $"{environment.PartOf}/{target.Name}/{key}"))))).ToList()))));

    private IEnumerable<Patch> Patches()
    {
        foreach (var workload in graph.Workloads)
        {
            var kind = WorkloadManifests.Controller(workload).Kind;
            var replicas = target.Replicas.TryGetValue(workload.Name, out var r) ? r : (int?)null;
            target.Sizes.TryGetValue(workload.Name, out var size);

            var autoscaled = workload.Settings.MaxReplicas is not null;
            if (workload.IsBlueGreen && (size is not null || (replicas is not null && !autoscaled)))
            {
                yield return RolloutPatch(workload, autoscaled ? null : replicas, size);
            }
            else if (size is not null || (replicas is not null && !autoscaled))
            {
                yield return ($"patches/{workload.Name}-{kind.ToLowerInvariant()}.yaml", Yaml.Map(
                    ("apiVersion", "apps/v1"),
                    ("kind", kind),
                    ("metadata", Yaml.Map(("name", workload.Name))),
                    ("spec", Yaml.Map(
                        ("replicas", autoscaled ? null : replicas),
                        ("template", size is null ? null : Yaml.Map(("spec", Yaml.Map(("containers", Yaml.List(Yaml.Map(
                            ("name", workload.Name),
                            ("resources", Yaml.Map(
                                ("requests", Yaml.Map(("cpu", size.CpuRequest), ("memory", size.MemoryRequest))),
                                ("limits", Yaml.Map(("cpu", size.CpuLimit), ("memory", size.MemoryLimit))))))))))))))));
            }

            if (target.Settings.TryGetValue(workload.Name, out var settings))
            {
                yield return ($"patches/{workload.Name}-configmap.yaml", Yaml.Map(
                    ("apiVersion", "v1"),
                    ("kind", "ConfigMap"),
                    ("metadata", Yaml.Map(("name", $"{workload.Name}-config"))),
                    ("data", Yaml.Map([.. settings.Select(setting => (setting.Key, (object?)setting.Value))]))));
            }

            if (replicas is not null && workload.Settings.MaxReplicas is { } maxReplicas)
            {
                yield return ($"patches/{workload.Name}-horizontalpodautoscaler.yaml", Yaml.Map(
                    ("apiVersion", "autoscaling/v2"),
                    ("kind", "HorizontalPodAutoscaler"),
                    ("metadata", Yaml.Map(("name", workload.Name))),
                    ("spec", Yaml.Map(("minReplicas", replicas.Value), ("maxReplicas", Math.Max(maxReplicas, replicas.Value))))));
            }

            if (workload.HasExternalHttp)
            {
                var host = target.Hosts.TryGetValue(workload.Name, out var h) ? h : WorkloadManifests.Host(environment, workload.Name, target.Name);
                yield return ($"patches/{workload.Name}-ingress.yaml", Yaml.Map(
                    ("apiVersion", "networking.k8s.io/v1"),
                    ("kind", "Ingress"),
                    ("metadata", Yaml.Map(
                        ("name", workload.Name),
                        ("annotations", target.TlsClusterIssuer is { } issuer ? Yaml.Map((WorkloadManifests.ClusterIssuerAnnotation, issuer)) : null))),
                    ("spec", WorkloadManifests.IngressSpec(workload, host, target.IngressClass ?? environment.IngressClass))));

                // The policy's rule for the controller replaces the base's when the controller lives elsewhere here.
                if (target.IngressControllerNamespace is not null)
                {
                    yield return ($"patches/{workload.Name}-networkpolicy.yaml", new NetworkPolicies(environment, graph.Edges, target).Render(workload));
                }
            }
        }

        if (target.Dns is not null)
        {
            yield return ($"patches/{NetworkPolicies.AllowDnsName}-networkpolicy.yaml", new NetworkPolicies(environment, graph.Edges, target).RenderAllowDns());
        }
    }
}
