using Aspire.Hosting.ApplicationModel;
using Stack.GitOps;

namespace Stack.Hosting.GitOps;

/// <summary>
/// The GitOps target of the graph: Kubernetes manifests, kustomize overlays per environment and
/// Argo CD applications, rendered by <c>aspire publish</c>. In run mode it is a dashboard resource
/// that reports whether the committed tree is up to date.
/// </summary>
/// <param name="name">The resource name.</param>
public sealed class GitOpsEnvironmentResource(string name) : Resource(name)
{
    /// <summary>The application name: the <c>app.kubernetes.io/part-of</c> label, the Argo CD project and the namespace prefix.</summary>
    public string PartOf { get; internal set; } = "stack";

    /// <summary>The git repository Argo CD syncs from.</summary>
    public string RepositoryUrl { get; internal set; } = "https://github.com/stack-games/stack.git";

    /// <summary>The branch Argo CD follows: environments that track it run its tip, and promotion commits land on it.</summary>
    public string Revision { get; internal set; } = "main";

    /// <summary>The tree's folder inside the repository, e.g. <c>infra/deploy</c>.</summary>
    public string RepositoryPath { get; internal set; } = DeployTree.DefaultRepositoryPath;

    /// <summary>The folder policies live in inside the repository, shipped by Argo CD before anything else.</summary>
    public string? PoliciesPath { get; internal set; }

    /// <summary>The registry project images are pulled from (an AppHost parameter), e.g. <c>ghcr.io/stack-games</c>.</summary>
    public ParameterResource? ImageRegistry { get; internal set; }

    /// <summary>
    /// Digests of third-party images by <c>name:tag</c> (e.g. <c>docker.io/library/redis:8.2.1</c>):
    /// publish renders those images as <c>name:tag@sha256:...</c> in every environment.
    /// </summary>
    internal SortedDictionary<string, string> ImageDigests { get; } = new(StringComparer.Ordinal);

    /// <summary>The public key (SubjectPublicKeyInfo PEM) images we build are signed with; <see langword="null"/> without <c>WithImageSigning</c>.</summary>
    public string? SigningPublicKey { get; internal set; }

    /// <summary>The public key's file, relative to the repository, as the AppHost names it.</summary>
    public string? SigningPublicKeyPath { get; internal set; }

    /// <summary>The tag publish writes for an image the first time an environment is rendered.</summary>
    public string InitialImageTag { get; internal set; } = "0.1.0";

    /// <summary>The environments, in promotion order: those the AppHost declared, else dev, staging and prod.</summary>
    public IReadOnlyList<DeployEnvironment> Environments
    {
        get
        {
            if (EnvironmentList.Count == 0)
            {
                foreach (var name in (string[])["dev", "staging", "prod"])
                {
                    AddEnvironment(name, configure: null);
                }
            }

            return EnvironmentList;
        }
    }

    /// <summary>The root of the git checkout holding the AppHost (the folder with <c>.git</c>).</summary>
    public string RepositoryRoot { get; internal init; } = "";

    /// <summary>The committed tree in this checkout: where <c>aspire publish</c> writes without <c>-o</c>.</summary>
    public DeployTree DeployTree => new(Path.Combine(RepositoryRoot, RepositoryPath));

    /// <summary>The policies' folder in this checkout; <see langword="null"/> without <c>WithPolicies</c>.</summary>
    public string? PoliciesDirectory => PoliciesPath is null ? null : Path.Combine(RepositoryRoot, PoliciesPath);

    /// <summary>The External Secrets Operator store that fills the Secret; <see langword="null"/> to create the Secret by hand.</summary>
    public string? ExternalSecretStore { get; internal set; }

    /// <summary>The OTLP endpoint of the in-cluster collector services export telemetry to.</summary>
    public Uri OtlpCollector { get; internal set; } = new("http://otel-collector.observability.svc.cluster.local:4317");

    /// <summary>The domain under which external HTTP endpoints get their default host names.</summary>
    public string Domain { get; internal set; } = "stack.example.com";

    /// <summary>The ingress class of external HTTP endpoints.</summary>
    public string IngressClass { get; internal set; } = "nginx";

    /// <summary>The namespace of the ingress controller, the only source allowed to reach external endpoints.</summary>
    public string IngressControllerNamespace { get; internal set; } = "ingress-nginx";

    /// <summary>The cert-manager ClusterIssuer that signs the TLS certificates of external endpoints.</summary>
    public string TlsClusterIssuer { get; internal set; } = "letsencrypt";

    /// <summary>The Prometheus that blue-green analyses ask (in the cluster, as Argo Rollouts reaches it); an environment may name another.</summary>
    public Uri PrometheusAddress { get; internal set; } = new("http://prometheus-operated.monitoring.svc.cluster.local:9090");

    /// <summary>The namespace Prometheus scrapes from: the only source the services' management ports accept.</summary>
    public string MonitoringNamespace { get; internal set; } = "monitoring";

    /// <summary>
    /// The label the Prometheus Operator selects ServiceMonitors and PrometheusRules by
    /// (kube-prometheus-stack: <c>release: &lt;its release name&gt;</c>); an environment may name another.
    /// </summary>
    public KeyValuePair<string, string> PrometheusSelector { get; internal set; } = new("release", "kube-prometheus-stack");

    /// <summary>The name of the Secret every secret value is read from.</summary>
    public string SecretName => $"{PartOf}-secrets";

    private List<DeployEnvironment> EnvironmentList { get; } = [];

    /// <summary>Whether <paramref name="environment"/> runs the tip of <see cref="Revision"/>: as it says, else only the first environment does.</summary>
    public bool TracksBranch(DeployEnvironment environment) => environment.TracksBranch ?? ReferenceEquals(environment, Environments[0]);

    internal void AddEnvironment(string name, Action<DeployEnvironment>? configure)
    {
        if (!KubernetesNames.IsDnsLabel(name))
        {
            throw new ArgumentException($"Environment name '{name}' must be a DNS label: lower-case letters, digits and '-', at most 63.", nameof(name));
        }

        if (EnvironmentList.Any(e => e.Name == name))
        {
            throw new ArgumentException($"Environment '{name}' is declared twice.", nameof(name));
        }

        var environment = new DeployEnvironment(name, $"{PartOf}-{name}");
        configure?.Invoke(environment);
        if (!KubernetesNames.IsDnsLabel(environment.Namespace))
        {
            throw new ArgumentException($"Namespace '{environment.Namespace}' of environment '{name}' must be a DNS label.", nameof(configure));
        }

        EnvironmentList.Add(environment);
    }
}
