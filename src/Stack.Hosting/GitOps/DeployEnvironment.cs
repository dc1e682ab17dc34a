using Aspire.Hosting.ApplicationModel;
using Stack.Hosting.Observability;

namespace Stack.Hosting.GitOps;

/// <summary>
/// One environment of the GitOps tree (<c>overlays/&lt;name&gt;</c>): its namespace, which git
/// revision it runs, and what differs from the base: replicas, resource sizes, host names, the
/// ingress and the DNS servers its pods may reach.
/// </summary>
public sealed class DeployEnvironment
{
    internal DeployEnvironment(string name, string @namespace)
    {
        Name = name;
        Namespace = @namespace;
    }

    /// <summary>The environment's name, also its overlay folder and Argo CD application suffix.</summary>
    public string Name { get; }

    /// <summary>The Kubernetes namespace everything of this environment runs in.</summary>
    public string Namespace { get; set; }

    /// <summary>Host names per resource for its Ingress; a resource not listed gets <c>&lt;resource&gt;.&lt;environment&gt;.&lt;domain&gt;</c>.</summary>
    internal SortedDictionary<string, string> Hosts { get; } = new(StringComparer.Ordinal);

    internal SortedDictionary<string, int> Replicas { get; } = new(StringComparer.Ordinal);

    internal SortedDictionary<string, WorkloadSize> Sizes { get; } = new(StringComparer.Ordinal);

    /// <summary>Non-secret settings per resource that this environment sets or changes in the resource's ConfigMap.</summary>
    internal SortedDictionary<string, SortedDictionary<string, string>> Settings { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Whether the environment runs the tip of the branch Argo CD follows (every merge deploys), or
    /// only the git revision promoted to it (<c>stack promote &lt;env&gt; --revision &lt;sha&gt;</c>).
    /// By default the first environment tracks the branch and the others follow promotion.
    /// </summary>
    public bool? TracksBranch { get; set; }

    /// <summary>The DNS servers pods may reach; <see langword="null"/> for the cluster's kube-dns.</summary>
    internal IReadOnlyList<DnsPeer>? Dns { get; private set; }

    /// <summary>The ingress class of this environment; <see langword="null"/> for the GitOps environment's.</summary>
    internal string? IngressClass { get; private set; }

    /// <summary>The ingress controller's namespace in this environment; <see langword="null"/> for the GitOps environment's.</summary>
    internal string? IngressControllerNamespace { get; private set; }

    /// <summary>The cert-manager ClusterIssuer of this environment's certificates; <see langword="null"/> for the GitOps environment's.</summary>
    internal string? TlsClusterIssuer { get; private set; }

    /// <summary>Objectives per resource that differ here from the resource's own (<c>WithServiceObjectives</c>).</summary>
    internal SortedDictionary<string, Func<ServiceObjectives, ServiceObjectives>> Objectives { get; } = new(StringComparer.Ordinal);

    /// <summary>The Prometheus blue-green analyses ask here; <see langword="null"/> for the GitOps environment's.</summary>
    internal Uri? PrometheusAddress { get; private set; }

    /// <summary>The Prometheus Operator's selector label here; <see langword="null"/> for the GitOps environment's.</summary>
    internal KeyValuePair<string, string>? PrometheusSelector { get; private set; }

    /// <summary>
    /// Changes <paramref name="resource"/>'s objectives in this environment (a looser p95 in dev, a
    /// stricter availability in prod): the SLO alerts and blue-green analyses here use them.
    /// </summary>
    public DeployEnvironment WithObjectives(IResourceBuilder<IResource> resource, TimeSpan? latencyP95 = null, double? maxErrorRatio = null, double? availability = null)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var previous = Objectives.GetValueOrDefault(resource.Resource.Name) ?? (objectives => objectives);
        // Validated now, against the resource's own objectives, so a bad value fails in the AppHost.
        _ = Change(previous(ServiceObjectivesAnnotation.Of(resource.Resource)));
        Objectives[resource.Resource.Name] = objectives => Change(previous(objectives));
        return this;

        ServiceObjectives Change(ServiceObjectives objectives) =>
            new ServiceObjectives(latencyP95 ?? objectives.LatencyP95, maxErrorRatio ?? objectives.MaxErrorRatio, availability ?? objectives.Availability).Validate();
    }

    /// <summary>Changes, in this environment, the Prometheus blue-green analyses ask and the label the Prometheus Operator selects by (<c>key=value</c>).</summary>
    public DeployEnvironment WithMonitoring(Uri? prometheusAddress = null, string? selectorLabel = null)
    {
        PrometheusAddress = prometheusAddress ?? PrometheusAddress;
        PrometheusSelector = selectorLabel is null ? PrometheusSelector : KubernetesNames.ParseLabel(selectorLabel, nameof(selectorLabel));
        return this;
    }

    /// <summary>Runs the tip of the branch Argo CD follows: every merge reaches this environment.</summary>
    public DeployEnvironment TrackBranch()
    {
        TracksBranch = true;
        return this;
    }

    /// <summary>Runs only the git revision promoted to this environment.</summary>
    public DeployEnvironment FollowPromotion()
    {
        TracksBranch = false;
        return this;
    }

    /// <summary>
    /// Lets pods reach these DNS servers instead of the cluster's kube-dns (NodeLocal DNSCache, another
    /// distribution's DNS); an ipBlock peer must also be allowed by the policies' <c>allowedEgressCidrs</c>.
    /// </summary>
    public DeployEnvironment WithDns(params DnsPeer[] peers)
    {
        ArgumentNullException.ThrowIfNull(peers);
        ArgumentOutOfRangeException.ThrowIfZero(peers.Length);
        Dns = [.. peers];
        return this;
    }

    /// <summary>
    /// Changes this environment's ingress: its class, the controller's namespace (the only source its
    /// external endpoints accept) and the cert-manager ClusterIssuer of its TLS certificates.
    /// </summary>
    public DeployEnvironment WithIngress(string? ingressClass = null, string? controllerNamespace = null, string? clusterIssuer = null)
    {
        if (controllerNamespace is not null && !KubernetesNames.IsDnsLabel(controllerNamespace))
        {
            throw new ArgumentException($"Ingress controller namespace '{controllerNamespace}' must be a DNS label.", nameof(controllerNamespace));
        }

        IngressClass = ingressClass ?? IngressClass;
        IngressControllerNamespace = controllerNamespace ?? IngressControllerNamespace;
        TlsClusterIssuer = clusterIssuer ?? TlsClusterIssuer;
        return this;
    }

    /// <summary>Runs <paramref name="replicas"/> pods of <paramref name="resource"/> (the autoscaler's minimum when it has one).</summary>
    public DeployEnvironment WithReplicas(IResourceBuilder<IResource> resource, int replicas)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(replicas);
        Replicas[resource.Resource.Name] = replicas;
        return this;
    }

    /// <summary>Sizes <paramref name="resource"/>'s containers in this environment.</summary>
    public DeployEnvironment WithSize(IResourceBuilder<IResource> resource, string cpuRequest, string cpuLimit, string memoryRequest, string memoryLimit)
    {
        ArgumentNullException.ThrowIfNull(resource);
        Sizes[resource.Resource.Name] = new WorkloadSize(cpuRequest, cpuLimit, memoryRequest, memoryLimit);
        return this;
    }

    /// <summary>
    /// Sets the environment variable <paramref name="name"/> of <paramref name="resource"/> to
    /// <paramref name="value"/> in this environment only (a patch of its ConfigMap): per-environment
    /// settings such as rate limits or trusted proxy networks. Never a secret: the value is committed.
    /// Pods read it when they start.
    /// </summary>
    public DeployEnvironment WithSetting(IResourceBuilder<IResource> resource, string name, string value)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(value);
        if (!Settings.TryGetValue(resource.Resource.Name, out var settings))
        {
            Settings[resource.Resource.Name] = settings = new SortedDictionary<string, string>(StringComparer.Ordinal);
        }

        settings[name] = value;
        return this;
    }

    /// <summary>Serves <paramref name="resource"/>'s external HTTP endpoint at <paramref name="host"/>.</summary>
    public DeployEnvironment WithHost(IResourceBuilder<IResource> resource, string host)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentException.ThrowIfNullOrEmpty(host);
        Hosts[resource.Resource.Name] = host;
        return this;
    }
}
