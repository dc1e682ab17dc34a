using Aspire.Hosting.ApplicationModel;

namespace Stack.Hosting.GitOps;

/// <summary>
/// One environment of the GitOps tree (<c>overlays/&lt;name&gt;</c>): its namespace and what differs
/// from the base, namely replicas, resource sizes and the public host name.
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

    /// <summary>Serves <paramref name="resource"/>'s external HTTP endpoint at <paramref name="host"/>.</summary>
    public DeployEnvironment WithHost(IResourceBuilder<IResource> resource, string host)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentException.ThrowIfNullOrEmpty(host);
        Hosts[resource.Resource.Name] = host;
        return this;
    }
}
