namespace Stack.Hosting.LocalInfrastructure;

/// <summary>
/// Image tags pinned to exact versions: what runs in containers locally is what Kubernetes runs,
/// and a new upstream release never changes a deployment by surprise.
/// </summary>
public static class PinnedImageTags
{
    /// <summary>The Redis server image tag (docker.io/library/redis).</summary>
    public const string Redis = "8.2.1";

    /// <summary>The PostgreSQL server image tag (docker.io/library/postgres), matching the machine's PostgreSQL 15 in process mode.</summary>
    public const string Postgres = "15.14";

    /// <summary>The Prometheus image (docker.io/prom/prometheus): the local Prometheus in container mode.</summary>
    public const string PrometheusImage = "prom/prometheus";

    /// <summary>The Prometheus image tag: the 2.x long-term-support line, whose config and rules match the machine's Prometheus 2.42 in process mode.</summary>
    public const string Prometheus = "v2.53.4";

    /// <summary>
    /// The full references of the images that container mode runs (Aspire's registry and image names
    /// with the tags above): the container runtime must have them, or be able to pull them, before
    /// the AppHost chooses containers.
    /// </summary>
    public static IReadOnlyList<string> Images { get; } =
    [
        $"docker.io/library/redis:{Redis}",
        $"docker.io/library/postgres:{Postgres}",
        $"docker.io/{PrometheusImage}:{Prometheus}",
    ];
}
