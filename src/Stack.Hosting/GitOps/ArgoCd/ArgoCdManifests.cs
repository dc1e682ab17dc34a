using Stack.GitOps;
using Stack.Hosting.GitOps.Kubernetes;

namespace Stack.Hosting.GitOps.ArgoCd;

/// <summary>
/// The Argo CD side: an AppProject fencing what may be deployed where, an ApplicationSet with one
/// Application per environment that has a release, the policies Application in an earlier wave,
/// Argo CD's health check for Applications (so that wave is waited for), and the bootstrap
/// Application in a project of its own that points Argo CD at this folder (app of apps).
/// </summary>
internal sealed class ArgoCdManifests(GitOpsEnvironmentResource environment, IReadOnlyList<(string Group, string Kind)> namespacedKinds)
{
    private const string ArgoNamespace = "argocd";
    private const string InCluster = "https://kubernetes.default.svc";
    private const string ArgoGroup = "argoproj.io";

    /// <summary>The namespace the policies' parameters live in.</summary>
    public const string PolicyNamespace = "stack-policy";

    public IEnumerable<(string File, object Manifest)> Render()
    {
        yield return ("argocd-cm.yaml", HealthCustomization());
        yield return ("appproject.yaml", Project());
        yield return ("applicationset.yaml", ApplicationSet());
        if (environment.PoliciesPath is not null)
        {
            yield return ("policies.yaml", PoliciesApplication());
        }

        if (environment.SigningPublicKey is not null)
        {
            yield return ("admission.yaml", ImageAdmissionApplication());
        }

        yield return ("bootstrap-project.yaml", BootstrapProject());
        yield return ("bootstrap.yaml", Bootstrap());
    }

    private string BootstrapName => $"{environment.PartOf}-bootstrap";

    private string RepositoryPath(string relative) => $"{environment.RepositoryPath.TrimEnd('/')}/{relative}";

    private OrderedDictionary<string, object> Metadata(string name, string wave) => Yaml.Map(
        ("name", name),
        ("namespace", ArgoNamespace),
        ("labels", Yaml.Sorted([new(Labels.PartOf, environment.PartOf), new(Labels.ManagedBy, "stack-gitops")])),
        ("annotations", Yaml.Map((Labels.SyncWave, wave))));

    private static OrderedDictionary<string, object> Kind(string group, string kind) => Yaml.Map(("group", group), ("kind", kind));

    // Argo CD has no health check for Applications of its own, so an Application counts as healthy
    // the moment it exists and sync waves across Applications do not wait. This one makes the
    // bootstrap wait for the policies Application before it creates the environments. argocd-cm
    // belongs to the Argo CD installation: server-side apply merges this one key into it.
    private object HealthCustomization() => Yaml.Map(
        ("apiVersion", "v1"),
        ("kind", "ConfigMap"),
        ("metadata", Yaml.Map(
            ("name", "argocd-cm"),
            ("namespace", ArgoNamespace),
            ("labels", Yaml.Sorted([new(Labels.PartOf, "argocd")])),
            ("annotations", Yaml.Map((Labels.SyncWave, "-30"))))),
        ("data", Yaml.Map((ApplicationHealth.ConfigKey, ApplicationHealth.Script))));

    private object Project()
    {
        var destinations = environment.Environments.Select(e => (object)Yaml.Map(("server", InCluster), ("namespace", e.Namespace))).ToList();
        var clusterKinds = new List<object> { Kind("", "Namespace") };
        if (environment.PoliciesPath is not null || environment.SigningPublicKey is not null)
        {
            destinations.Add(Yaml.Map(("server", InCluster), ("namespace", PolicyNamespace)));
        }

        if (environment.PoliciesPath is not null)
        {
            clusterKinds.Add(Kind("admissionregistration.k8s.io", "ValidatingAdmissionPolicy"));
            clusterKinds.Add(Kind("admissionregistration.k8s.io", "ValidatingAdmissionPolicyBinding"));
        }

        if (environment.SigningPublicKey is not null)
        {
            clusterKinds.Add(Kind("policy.sigstore.dev", "ClusterImagePolicy"));
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
                ("namespaceResourceWhitelist", namespacedKinds.Select(k => (object)Kind(k.Group, k.Kind)).ToList()))));
    }

    private object BootstrapProject() => Yaml.Map(
        ("apiVersion", "argoproj.io/v1alpha1"),
        ("kind", "AppProject"),
        ("metadata", Metadata(BootstrapName, "-40")),
        ("spec", Yaml.Map(
            ("description", $"{environment.PartOf}: Argo CD's own objects for it, synced from {RepositoryPath(DeployTree.ArgoCdFolder)}; nothing outside the argocd namespace."),
            ("sourceRepos", Yaml.List(environment.RepositoryUrl)),
            ("destinations", Yaml.List(Yaml.Map(("server", InCluster), ("namespace", ArgoNamespace)))),
            ("namespaceResourceWhitelist", Yaml.List(
                Kind("", "ConfigMap"),
                Kind(ArgoGroup, "AppProject"),
                Kind(ArgoGroup, "Application"),
                Kind(ArgoGroup, "ApplicationSet"))))));

    private static OrderedDictionary<string, object> SyncPolicy() => Yaml.Map(
        ("automated", Yaml.Map(("prune", true), ("selfHeal", true))),
        ("syncOptions", Yaml.List("ServerSideApply=true", "CreateNamespace=true")),
        ("retry", Yaml.Map(
            ("limit", 5),
            ("backoff", Yaml.Map(("duration", "10s"), ("factor", 2), ("maxDuration", "3m"))))));

    private OrderedDictionary<string, object> Source(string path, string revision) => Yaml.Map(
        ("repoURL", environment.RepositoryUrl),
        ("targetRevision", revision),
        ("path", path));

    // Environments are the product of what publish declares (name, namespace) and what promotion
    // decided (the release file's revision, read from the followed branch): an environment without
    // a release file yields no Application, so nothing reaches it before its first promotion.
    private object ApplicationSet()
    {
        var declared = Yaml.Map(("list", Yaml.Map(("elements", environment.Environments
            .Select(e => (object)Yaml.Map(("environment", e.Name), ("namespace", e.Namespace))).ToList()))));
        var released = Yaml.Map(("git", Yaml.Map(
            ("repoURL", environment.RepositoryUrl),
            ("revision", environment.Revision),
            ("files", Yaml.List(Yaml.Map(("path", RepositoryPath(DeployTree.ReleaseFile("{{.environment}}")))))))));
        var template = Yaml.Map(
            ("metadata", Yaml.Map(
                ("name", $"{environment.PartOf}-{{{{.environment}}}}"),
                ("labels", Yaml.Sorted([new(Labels.PartOf, environment.PartOf), new("stack.dev/environment", "{{.environment}}")])))),
            ("spec", Yaml.Map(
                ("project", environment.PartOf),
                ("source", Source(RepositoryPath(DeployTree.OverlayPath("{{.environment}}")), "{{.revision}}")),
                ("destination", Yaml.Map(("server", InCluster), ("namespace", "{{.namespace}}"))),
                ("syncPolicy", SyncPolicy()))));

        return Yaml.Map(
            ("apiVersion", "argoproj.io/v1alpha1"),
            ("kind", "ApplicationSet"),
            ("metadata", Metadata(environment.PartOf, "0")),
            ("spec", Yaml.Map(
                ("goTemplate", true),
                ("goTemplateOptions", Yaml.List("missingkey=error")),
                ("generators", Yaml.List(Yaml.Map(("matrix", Yaml.Map(("generators", Yaml.List(declared, released))))))),
                // Removing an environment from the AppHost deletes its Application, never what it deployed.
                ("syncPolicy", Yaml.Map(("preserveResourcesOnDeletion", true))),
                ("template", template))));
    }

    // Admission policies are in force before any workload of any environment is applied.
    private object PoliciesApplication() => AdmissionApplication("policies", environment.PoliciesPath!);

    // Sigstore's policy-controller must be installed (README); its ClusterImagePolicy is cluster-wide,
    // in force with the admission policies, before any environment is synced.
    private object ImageAdmissionApplication() => AdmissionApplication("admission", RepositoryPath(DeployTree.AdmissionFolder));

    /// <summary>An Application of cluster-wide admission objects, in the earliest wave of the environments' project.</summary>
    private object AdmissionApplication(string suffix, string path) => Yaml.Map(
        ("apiVersion", "argoproj.io/v1alpha1"),
        ("kind", "Application"),
        ("metadata", Metadata($"{environment.PartOf}-{suffix}", "-10")),
        ("spec", Yaml.Map(
            ("project", environment.PartOf),
            ("source", Source(path, environment.Revision)),
            ("destination", Yaml.Map(("server", InCluster), ("namespace", PolicyNamespace))),
            ("syncPolicy", SyncPolicy()))));

    private object Bootstrap() => Yaml.Map(
        ("apiVersion", "argoproj.io/v1alpha1"),
        ("kind", "Application"),
        ("metadata", Metadata(BootstrapName, "0")),
        ("spec", Yaml.Map(
            ("project", BootstrapName),
            ("source", Source(RepositoryPath(DeployTree.ArgoCdFolder), environment.Revision)),
            ("destination", Yaml.Map(("server", InCluster), ("namespace", ArgoNamespace))),
            ("syncPolicy", Yaml.Map(
                ("automated", Yaml.Map(("prune", true), ("selfHeal", true))),
                // Server-side apply merges its one key into argocd-cm instead of owning the whole map.
                ("syncOptions", Yaml.List("ServerSideApply=true")),
                ("retry", Yaml.Map(("limit", 5), ("backoff", Yaml.Map(("duration", "10s"), ("factor", 2), ("maxDuration", "3m"))))))))));
}
