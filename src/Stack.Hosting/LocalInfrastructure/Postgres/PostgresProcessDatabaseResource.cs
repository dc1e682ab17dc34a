using Aspire.Hosting.ApplicationModel;

namespace Stack.Hosting.LocalInfrastructure.Postgres;

/// <summary>A database on a <see cref="PostgresProcessResource"/>; created by the server's readiness check.</summary>
public sealed class PostgresProcessDatabaseResource(string name, string databaseName, PostgresProcessResource parent)
    : Resource(name), IResourceWithParent<PostgresProcessResource>, IResourceWithConnectionString
{
    /// <summary>The database name on the server.</summary>
    public string DatabaseName { get; } = databaseName;

    /// <inheritdoc />
    public PostgresProcessResource Parent { get; } = parent;

    /// <inheritdoc />
    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{Parent};Database={DatabaseName}");
}
