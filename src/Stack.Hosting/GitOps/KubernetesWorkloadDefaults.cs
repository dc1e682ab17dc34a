using Aspire.Hosting.ApplicationModel;

namespace Stack.Hosting.GitOps;

/// <summary>
/// Settings that fit each kind of resource before an AppHost changes anything: the non-root user
/// its image runs as, what it writes, how to probe it and how big it is.
/// </summary>
internal static class KubernetesWorkloadDefaults
{
    // The official Redis and PostgreSQL images (Debian) own their data as uid 999; the .NET
    // runtime images run as 'app', uid 1654; 65532 is the usual 'nonroot' of distroless images.
    private const long OfficialDataImageUser = 999;
    private const long DotnetImageUser = 1654;
    private const long NonRootUser = 65532;

    public static KubernetesWorkloadSettings For(IResource resource)
    {
        var settings = resource switch
        {
            ProjectResource project => ForProject(project),
            RedisResource => ForRedis(),
            PostgresServerResource => ForPostgres(),
            _ => ForContainer(resource),
        };

        if (resource.TryGetLastAnnotation<KubernetesWorkloadAnnotation>(out var annotation))
        {
            foreach (var configure in annotation.Configure)
            {
                configure(settings);
            }
        }

        return settings;
    }

    private static KubernetesWorkloadSettings ForProject(ProjectResource project)
    {
        var settings = new KubernetesWorkloadSettings { RunAsUser = DotnetImageUser };
        var replicas = project.GetReplicaCount();
        if (project.GetEndpoints().Any(e => e.EndpointAnnotation.IsExternal))
        {
            settings.MaxReplicas = Math.Max(3, replicas * 3);
        }

        return settings;
    }

    private static KubernetesWorkloadSettings ForContainer(IResource resource)
    {
        var settings = new KubernetesWorkloadSettings { RunAsUser = NonRootUser };

        // Without knowing the program, the honest default probe is "its first port accepts connections".
        var port = resource.TryGetEndpoints(out var endpoints)
            ? endpoints.OrderBy(e => e.Name, StringComparer.Ordinal).Select(e => e.TargetPort ?? e.Port).FirstOrDefault(p => p is not null)
            : null;
        if (port is { } open)
        {
            settings.Liveness = KubernetesProbe.Tcp(open);
            settings.Readiness = KubernetesProbe.Tcp(open);
        }

        return settings;
    }

    private static KubernetesWorkloadSettings ForRedis() => new()
    {
        RunAsUser = OfficialDataImageUser,
        CpuRequest = "100m",
        CpuLimit = "1",
        MemoryRequest = "128Mi",
        MemoryLimit = "512Mi",
        StorageSize = "2Gi",
        // The password reaches Redis on standard input (a here-document), never on a command line
        // where `ps` would show it. maxmemory follows the container's limit in every environment,
        // leaving a quarter for Redis' own overhead; a full index refuses writes (noeviction)
        // rather than dropping members, which would make ranks silently wrong.
        Command = ["/bin/sh", "-c"],
        Args =
        [
            """
            exec redis-server - --port 6379 --save 60 1 <<EOF
            requirepass $REDIS_PASSWORD
            maxmemory $((REDIS_MEMORY_LIMIT / 4 * 3))
            maxmemory-policy noeviction
            EOF
            """,
        ],
        MemoryLimitVariable = "REDIS_MEMORY_LIMIT",
        Liveness = KubernetesProbe.Tcp(6379),
        // ping must answer PONG, not an auth error; REDISCLI_AUTH keeps the password off the command line.
        Readiness = KubernetesProbe.Exec("sh", "-c", "REDISCLI_AUTH=\"$REDIS_PASSWORD\" redis-cli ping | grep -q PONG"),
    };

    private static KubernetesWorkloadSettings ForPostgres()
    {
        var settings = new KubernetesWorkloadSettings
        {
            RunAsUser = OfficialDataImageUser,
            CpuRequest = "250m",
            CpuLimit = "1",
            MemoryRequest = "256Mi",
            MemoryLimit = "1Gi",
            StorageSize = "8Gi",
            Liveness = KubernetesProbe.Tcp(5432),
            Readiness = KubernetesProbe.Exec("sh", "-c", "pg_isready -h 127.0.0.1 -p 5432 -U \"$POSTGRES_USER\""),
        };

        // The server writes its socket and lock files besides its data; a volume's root holds
        // lost+found, which initdb refuses, so the cluster lives one folder down.
        settings.WritablePaths.Add("/var/run/postgresql");
        settings.Environment["PGDATA"] = "/var/lib/postgresql/data/pgdata";

        // The image reads POSTGRES_PASSWORD only when it creates the cluster. Setting it again on
        // every start makes a rotated Secret take effect with the next restart, as it does for the
        // clients that read it. The statement reaches psql on standard input, off every command line.
        settings.PostStartCommand = ["/bin/sh", "-c", PostgresPasswordSync.Script];
        return settings;
    }
}
