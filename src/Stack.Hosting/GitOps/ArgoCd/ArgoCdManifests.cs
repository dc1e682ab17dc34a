using Stack.GitOps;
using Stack.Hosting.GitOps.Kubernetes;

namespace Stack.Hosting.GitOps.ArgoCd;

/// <summary>
/// The Argo CD side: an AppProject fencing what may be deployed where, an ApplicationSet with one
/// Application per environment, the policies Application in the earliest wave, and the bootstrap
/// Application that points Argo CD at this folder (app of apps).
/// </summary>
internal sealed class ArgoCdManifests(GitOpsEnvironmentResource environment, IReadOnlyList<(string Group, string Kind)> namespacedKinds)
{
    private const string ArgoNamespace = "argocd";
    private const string InCluster = "https://kubernetes.default.svc";

    /// <summary>The namespace the policies' parameters live in.</summary>
    public const string PolicyNamespace = "stack-policy";

    public IEnumerable<(string File, object Manifest)> Render()
    {
        yield return ("appproject.yaml", Project());
        yield return ("applicationset.yaml", ApplicationSet());
        if (environment.PoliciesPath is not null)
        {
            yield return ("policies.yaml", PoliciesApplication());
        }

        yield return ("bootstrap.yaml", Bootstrap());
    }

    private string RepositoryPath(string relative) => $"{environment.RepositoryPath.TrimEnd('/')}/{relative}";

    private OrderedDictionary<string, object> Metadata(string name, string wave) => Yaml.Map(
        ("name", name),
        ("namespace", ArgoNamespace),
        ("labels", Yaml.Sorted([new(Labels.PartOf, environment.PartOf), new(Labels.ManagedBy, "stack-gitops")])),
        ("annotations", Yaml.Map((Labels.SyncWave, wave))));

    private object Project()
    {
        var destinations = environment.Environments.Select(e => (object)Yaml.Map(("server", InCluster), ("namespace", e.Namespace))).ToList();
        var clusterKinds = new List<object> { Yaml.Map(("group", ""), ("kind", "Namespace")) };
        if (environment.PoliciesPath is not null)
        {
            destinations.Add(Yaml.Map(("server", InCluster), ("namespace", PolicyNamespace)));
            clusterKinds.Add(Yaml.Map(("group", "admissionregistration.k8s.io"), ("kind", "ValidatingAdmissionPolicy")));
            clusterKinds.Add(Yaml.Map(("group", "admissionregistration.k8s.io"), ("kind", "ValidatingAdmissionPolicyBinding")));
        }

        return Yaml.Map(
            ("apiVersion", "argoproj.io/v1alpha1"),
            ("kind", "AppProject"),
            ("metadata", Metadata(environment.PartOf, "-20")),
            ("spec", Yaml.Map(
                ("description", $"{environment.PartOf}: everything rendered from the AppHost graph, one namespace per environment."),
                ("sourceRepos", Yaml.List(environment.RepositoryUrl)),
                ("destinations", destinations),
                ("clusterResourceWhitelist", clusterKinds),
                ("namespaceResourceWhitelist", namespacedKinds.Select(k => (object)Yaml.Map(("group", k.Group), ("kind", k.Kind))).ToList()))));
    }

    private OrderedDictionary<string, object> SyncPolicy() => Yaml.Map(
        ("automated", Yaml.Map(("prune", true), ("selfHeal", true))),
        ("syncOptions", Yaml.List("ServerSideApply=true", "CreateNamespace=true")),
        ("retry", Yaml.Map(
            ("limit", 5),
            ("backoff", Yaml.Map(("duration", "10s"), ("factor", 2), ("maxDuration", "3m"))))));

    private OrderedDictionary<string, object> Source(string path) => Yaml.Map(
        ("repoURL", environment.RepositoryUrl),
        ("targetRevision", environment.Revision),
        ("path", path));

    private object ApplicationSet() => Yaml.Map(
        ("apiVersion", "argoproj.io/v1alpha1"),
        ("kind", "ApplicationSet"),
        ("metadata", Metadata(environment.PartOf, "0")),
        ("spec", Yaml.Map(
            ("goTemplate", true),
            ("goTemplateOptions", Yaml.List("missingkey=error")),
            ("generators", Yaml.List(Yaml.Map(("list", Yaml.Map(("elements", environment.Environments
                .Select(e => (object)Yaml.Map(("environment", e.Name), ("namespace", e.Namespace))).ToList())))))),
            ("template", Yaml.Map(
                ("metadata", Yaml.Map(
                    ("name", $"{environment.PartOf}-{{{{.environment}}}}"),
                    ("labels", Yaml.Sorted([new(Labels.PartOf, environment.PartOf), new("stack.dev/environment", "{{.environment}}")])))),
                ("spec", Yaml.Map(
                    ("project", environment.PartOf),
                    ("source", Source(RepositoryPath(DeployTree.OverlayPath("{{.environment}}")))),
                    ("destination", Yaml.Map(("server", InCluster), ("namespace", "{{.namespace}}"))),
                    ("syncPolicy", SyncPolicy()))))))));

    private object PoliciesApplication() => Yaml.Map(
        ("apiVersion", "argoproj.io/v1alpha1"),
        ("kind", "Application"),
        // Admission policies are in force before any workload of any environment is applied.
        ("metadata", Metadata($"{environment.PartOf}-policies", "-10")),
        ("spec", Yaml.Map(
            ("project", environment.PartOf),
            ("source", Source(environment.PoliciesPath!)),
            ("destination", Yaml.Map(("server", InCluster), ("namespace", PolicyNamespace))),
            ("syncPolicy", SyncPolicy()))));

    private object Bootstrap() => Yaml.Map(
        ("apiVersion", "argoproj.io/v1alpha1"),
        ("kind", "Application"),
        ("metadata", Metadata($"{environment.PartOf}-bootstrap", "0")),
        ("spec", Yaml.Map(
            ("project", "default"),
            ("source", Source(RepositoryPath(DeployTree.ArgoCdFolder))),
            ("destination", Yaml.Map(("server", InCluster), ("namespace", ArgoNamespace))),
            ("syncPolicy", Yaml.Map(
                ("automated", Yaml.Map(("prune", true), ("selfHeal", true))),
                ("retry", Yaml.Map(("limit", 5), ("backoff", Yaml.Map(("duration", "10s"), ("factor", 2), ("maxDuration", "3m"))))))))));
}
