using Aspire.Hosting.ApplicationModel;
using Stack.Hosting.Observability;

namespace Stack.Hosting.GitOps.Graph;

/// <summary>One compute resource of the graph, read and translated, ready to become manifests.</summary>
internal sealed class Workload
{
    public required IResource Resource { get; init; }

    public string Name => Resource.Name;

    /// <summary>The image without tag, e.g. <c>docker.io/library/redis</c> or <c>ghcr.io/stack-games/leaderboard-api</c>.</summary>
    public required string ImageName { get; init; }

    /// <summary>The pinned tag of a third-party image; <see langword="null"/> for images we build, whose tags promotion owns.</summary>
    public required string? ImageTag { get; init; }

    public bool IsBuiltByUs => ImageTag is null;

    public required IReadOnlyList<string> Command { get; init; }

    public required IReadOnlyList<string> Args { get; init; }

    /// <summary>The Secret keys the arguments expand (as <c>$(STACK_SECRET_...)</c>), sorted.</summary>
    public required IReadOnlyList<string> ArgumentSecretKeys { get; init; }

    public required IReadOnlyList<WorkloadPort> Ports { get; init; }

    /// <summary>Non-secret settings, served from the workload's ConfigMap.</summary>
    public required SortedDictionary<string, string> Config { get; init; }

    /// <summary>Variables that come from, or are composed with, Secret keys.</summary>
    public required SortedDictionary<string, KubernetesValue> SecretEnvironment { get; init; }

    /// <summary>Persistent volumes (name, mount path); any makes the workload a StatefulSet.</summary>
    public required IReadOnlyList<WorkloadVolume> Volumes { get; init; }

    /// <summary>Files mounted read-only from a ConfigMap of their own (folder, file name, content).</summary>
    public required IReadOnlyList<WorkloadFile> Files { get; init; }

    public required KubernetesWorkloadSettings Settings { get; init; }

    public required int Replicas { get; init; }

    /// <summary>What the service promises, before an environment changes it.</summary>
    public ServiceObjectives Objectives => ServiceObjectivesAnnotation.Of(Resource);

    /// <summary>The panels the service adds to its dashboard row.</summary>
    public IReadOnlyList<DashboardPanel> DashboardPanels => ServiceObjectivesAnnotation.PanelsOf(Resource);

    /// <summary>The port Prometheus scrapes; <see langword="null"/> for workloads without one (the data stores).</summary>
    public WorkloadPort? ManagementPort => Ports.FirstOrDefault(p => p.IsManagement);

    /// <summary>The ports callers reach (every port but the management port).</summary>
    public IEnumerable<WorkloadPort> ServicePorts => Ports.Where(p => !p.IsManagement);

    /// <summary>Whether it is released blue-green (an Argo Rollouts Rollout) rather than as a Deployment.</summary>
    public bool IsBlueGreen => !IsStateful && Settings.BlueGreenRelease is not null;

    public bool IsStateful => Volumes.Count > 0;

    public bool HasExternalHttp => Ports.Any(p => p.IsExternal && p.IsHttp);

    /// <summary>The Secret keys this workload reads, sorted.</summary>
    public IEnumerable<string> SecretKeys => SecretEnvironment.Values.SelectMany(v => v.SecretKeys).Concat(ArgumentSecretKeys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
}
