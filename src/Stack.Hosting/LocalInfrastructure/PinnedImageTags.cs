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
}
