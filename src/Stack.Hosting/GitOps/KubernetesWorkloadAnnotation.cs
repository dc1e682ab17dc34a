using Aspire.Hosting.ApplicationModel;

namespace Stack.Hosting.GitOps;

/// <summary>Changes an AppHost made to a resource's Kubernetes settings, applied over the defaults in order.</summary>
internal sealed class KubernetesWorkloadAnnotation : IResourceAnnotation
{
    public List<Action<KubernetesWorkloadSettings>> Configure { get; } = [];
}
