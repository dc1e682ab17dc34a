namespace Stack.Hosting.LocalInfrastructure;

/// <summary>Everything process mode needs: the server programs, where their state lives, and whom they run as.</summary>
/// <param name="Redis">The Redis-compatible server.</param>
/// <param name="Postgres">The PostgreSQL binaries.</param>
/// <param name="DataRoot">The git-ignored folder holding one sub-folder per resource.</param>
/// <param name="RunAs">The unprivileged user servers run as when the AppHost is root.</param>
public sealed record ProcessPrograms(RedisServerProgram Redis, PostgresPrograms Postgres, string DataRoot, UnprivilegedUser? RunAs)
{
    /// <summary>The machine's <c>prometheus</c> (Debian: <c>apt-get install prometheus</c>); <see langword="null"/> when it has none.</summary>
    public string? Prometheus { get; init; } = ExecutableSearch.Find("prometheus");

    /// <summary>The state folder of resource <paramref name="resourceName"/>.</summary>
    public string StateDirectory(string resourceName) => Path.Combine(DataRoot, resourceName);
}
