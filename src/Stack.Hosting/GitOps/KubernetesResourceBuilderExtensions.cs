using Aspire.Hosting.ApplicationModel;
using Stack.Hosting.GitOps;

namespace Aspire.Hosting;

/// <summary>Per-resource Kubernetes settings for the GitOps publisher.</summary>
public static class KubernetesResourceBuilderExtensions
{
    /// <summary>
    /// Changes how <paramref name="builder"/>'s resource runs on Kubernetes (requests and limits,
    /// probes, storage, autoscaling). Defaults already fit .NET projects, Redis and PostgreSQL;
    /// set only what differs. Has no effect in run mode.
    /// </summary>
    public static IResourceBuilder<T> PublishAsKubernetes<T>(this IResourceBuilder<T> builder, Action<KubernetesWorkloadSettings> configure)
        where T : IResource
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);

        if (!builder.Resource.TryGetLastAnnotation<KubernetesWorkloadAnnotation>(out var annotation))
        {
            annotation = new KubernetesWorkloadAnnotation();
            builder.WithAnnotation(annotation);
        }

        annotation.Configure.Add(configure);
        return builder;
    }
}
