namespace Stack.Hosting.GitOps;

/// <summary>
/// How a service is released blue-green by Argo Rollouts: a new version starts beside the running
/// one behind the preview Service, an analysis asks Prometheus for the preview pods' p95 latency
/// and 5xx ratio, and the version is promoted (the active Service switches to it) only when both
/// are within bounds; a failed analysis aborts the release and the running version keeps serving.
/// </summary>
public sealed class BlueGreenSettings
{
    /// <summary>Promote as soon as the analysis passes; <see langword="false"/> waits for <c>kubectl argo rollouts promote</c>.</summary>
    public bool AutoPromotion { get; set; } = true;

    /// <summary>How long the old version keeps running after the switch (seconds), so in-flight requests finish and a rollback is instant.</summary>
    public int ScaleDownDelaySeconds { get; set; } = 30;

    /// <summary>How long the preview pods of an aborted release keep running (seconds), to look at them.</summary>
    public int AbortScaleDownDelaySeconds { get; set; } = 30;

    /// <summary>The highest p95 latency the preview pods may show; <see langword="null"/> for the environment's objective.</summary>
    public TimeSpan? MaxP95 { get; set; }

    /// <summary>The highest 5xx ratio the preview pods may show; <see langword="null"/> for the environment's objective.</summary>
    public double? MaxErrorRatio { get; set; }

    /// <summary>How long the analysis waits after the preview pods are ready before its first measurement.</summary>
    public TimeSpan InitialDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The time between two measurements.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How many measurements the analysis takes; every one must pass.</summary>
    public int Measurements { get; set; } = 4;
}
