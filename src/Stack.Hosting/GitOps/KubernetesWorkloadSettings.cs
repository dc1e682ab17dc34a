namespace Stack.Hosting.GitOps;

/// <summary>
/// How one compute resource of the graph runs on Kubernetes. Every field has a default fitted to
/// the resource's kind (a .NET project, Redis, PostgreSQL, another container); an AppHost changes
/// only what differs with <c>PublishAsKubernetes(...)</c>.
/// </summary>
public sealed class KubernetesWorkloadSettings
{
    /// <summary>CPU the scheduler reserves per pod, e.g. <c>100m</c>.</summary>
    public string CpuRequest { get; set; } = "100m";

    /// <summary>CPU a pod may use at most, e.g. <c>500m</c>.</summary>
    public string CpuLimit { get; set; } = "500m";

    /// <summary>Memory the scheduler reserves per pod, e.g. <c>128Mi</c>.</summary>
    public string MemoryRequest { get; set; } = "128Mi";

    /// <summary>Memory a pod may use before it is killed, e.g. <c>512Mi</c>.</summary>
    public string MemoryLimit { get; set; } = "512Mi";

    /// <summary>The numeric user the container runs as; the image's own non-root user.</summary>
    public long RunAsUser { get; set; } = 1654;

    /// <summary>
    /// Whether the root filesystem is mounted read-only. Paths the program must write go to
    /// <see cref="WritablePaths"/> (memory-backed scratch) or to its persistent volumes.
    /// </summary>
    public bool ReadOnlyRootFilesystem { get; set; } = true;

    /// <summary>Folders the program writes besides its persistent volumes (mounted as emptyDir).</summary>
    public IList<string> WritablePaths { get; } = ["/tmp"];

    /// <summary>Size of each persistent volume claim of a stateful resource.</summary>
    public string StorageSize { get; set; } = "1Gi";

    /// <summary>Liveness and startup probe; for services built on ServiceDefaults, HTTP <c>/alive</c>.</summary>
    public KubernetesProbe Liveness { get; set; } = KubernetesProbe.Http("/alive");

    /// <summary>Readiness probe; for services built on ServiceDefaults, HTTP <c>/health</c>.</summary>
    public KubernetesProbe Readiness { get; set; } = KubernetesProbe.Http("/health");

    /// <summary>
    /// Most replicas the HorizontalPodAutoscaler may add (at 70% CPU); <see langword="null"/>
    /// renders no autoscaler. Set by default for projects that serve external HTTP.
    /// </summary>
    public int? MaxReplicas { get; set; }

    /// <summary>
    /// Arguments of a Job that runs the workload's own image, settings and secrets once before each
    /// rollout (an Argo CD Sync hook one wave earlier), e.g. <c>["migrate"]</c> for schema
    /// migrations; <see langword="null"/> for none.
    /// </summary>
    public IReadOnlyList<string>? MigrationArgs { get; set; }

    /// <summary>
    /// The container's command on Kubernetes instead of the resource's own entrypoint;
    /// <see langword="null"/> keeps the resource's. <c>$(</c> is written as <c>$$(</c>, so Kubernetes
    /// passes it to the program unexpanded.
    /// </summary>
    public IReadOnlyList<string>? Command { get; set; }

    /// <summary>The container's arguments on Kubernetes instead of the resource's own; <see langword="null"/> keeps the resource's.</summary>
    public IReadOnlyList<string>? Args { get; set; }

    /// <summary>
    /// A variable that receives the container's memory limit in bytes (through the Downward API),
    /// for programs that size themselves to it; it follows every environment's size.
    /// </summary>
    public string? MemoryLimitVariable { get; set; }

    /// <summary>A command run in the container right after it starts (a postStart hook); it must not fail, or the container restarts.</summary>
    public IReadOnlyList<string>? PostStartCommand { get; set; }

    /// <summary>Environment variables the workload needs only on Kubernetes (non-secret values).</summary>
    public IDictionary<string, string> Environment { get; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The blue-green release of a service (an Argo Rollouts <c>Rollout</c>); <see langword="null"/> for a plain rolling Deployment.</summary>
    public BlueGreenSettings? BlueGreenRelease { get; private set; }

    /// <summary>
    /// Releases the service blue-green (an Argo Rollouts <c>Rollout</c> with an active and a preview
    /// Service, promoted only when Prometheus shows the preview pods within their objectives) instead
    /// of as a rolling Deployment. <paramref name="configure"/> changes the thresholds and delays.
    /// </summary>
    public KubernetesWorkloadSettings BlueGreen(Action<BlueGreenSettings>? configure = null)
    {
        var settings = BlueGreenRelease ?? new BlueGreenSettings();
        configure?.Invoke(settings);
        ArgumentOutOfRangeException.ThrowIfNegative(settings.ScaleDownDelaySeconds, nameof(settings.ScaleDownDelaySeconds));
        ArgumentOutOfRangeException.ThrowIfNegative(settings.AbortScaleDownDelaySeconds, nameof(settings.AbortScaleDownDelaySeconds));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(settings.Measurements, nameof(settings.Measurements));
        BlueGreenRelease = settings;
        return this;
    }
}
