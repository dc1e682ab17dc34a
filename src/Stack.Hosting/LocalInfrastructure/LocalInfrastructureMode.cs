namespace Stack.Hosting.LocalInfrastructure;

/// <summary>How the AppHost provides Redis and PostgreSQL on a developer machine or in tests.</summary>
public enum LocalInfrastructureMode
{
    /// <summary>Containers when a healthy Docker or Podman answers, local processes otherwise.</summary>
    Auto,

    /// <summary>Aspire's own Redis and PostgreSQL container resources.</summary>
    Containers,

    /// <summary>Processes the AppHost starts itself: redis-server or Garnet, and the machine's PostgreSQL.</summary>
    Processes,
}
