using Aspire.Hosting.ApplicationModel;

namespace Stack.Hosting.GitOps.Graph;

/// <summary>
/// The files a PostgreSQL server's image runs once, when it creates the cluster on an empty volume:
/// one script creating the databases the graph declares on it.
/// </summary>
internal static class PostgresInitFiles
{
    private const string InitFolder = "/docker-entrypoint-initdb.d";

    public static IReadOnlyList<WorkloadFile> For(IResource resource)
    {
        if (resource is not PostgresServerResource { Databases.Count: > 0 } postgres)
        {
            return [];
        }

        var script = string.Concat(postgres.Databases.OrderBy(d => d.Value, StringComparer.Ordinal)
            .Select(d => $"CREATE DATABASE \"{d.Value.Replace("\"", "\"\"", StringComparison.Ordinal)}\";\n"));
        return [new WorkloadFile(InitFolder, "10-create-databases.sql", script)];
    }
}
