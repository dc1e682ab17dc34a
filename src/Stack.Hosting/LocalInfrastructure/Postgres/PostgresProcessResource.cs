using Aspire.Hosting.ApplicationModel;

namespace Stack.Hosting.LocalInfrastructure.Postgres;

/// <summary>
/// A PostgreSQL server from the machine's own binaries, run by the AppHost as a local process.
/// Its connection string has the shape of Aspire's container <c>PostgresServerResource</c>.
/// </summary>
public sealed class PostgresProcessResource(string name, string command, string workingDirectory, ParameterResource password, string socketDirectory, int serverPort)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    internal const string PrimaryEndpointName = "tcp";

    /// <summary>The superuser every connection uses, as in Aspire's container.</summary>
    public const string UserName = "postgres";

    private readonly Dictionary<string, string> _databases = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The superuser's password; set on every start so it always matches the parameter.</summary>
    public ParameterResource PasswordParameter { get; } = password;

    /// <summary>Folder of the server's Unix socket, used only by the AppHost to bootstrap the server.</summary>
    public string SocketDirectory { get; } = socketDirectory;

    /// <summary>
    /// The port the server itself listens on (behind Aspire's proxy). Chosen by the AppHost rather
    /// than DCP because the AppHost needs it to find the server's Unix socket.
    /// </summary>
    public int ServerPort { get; } = serverPort;

    /// <summary>The endpoint clients connect to.</summary>
    public EndpointReference PrimaryEndpoint => field ??= new(this, PrimaryEndpointName);

    /// <summary>Databases to create when the server first becomes reachable: resource name to database name.</summary>
    public IReadOnlyDictionary<string, string> Databases => _databases;

    /// <inheritdoc />
    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"Host={PrimaryEndpoint.Property(EndpointProperty.Host)};Port={PrimaryEndpoint.Property(EndpointProperty.Port)};Username={UserName};Password={PasswordParameter}");

    internal void AddDatabase(string resourceName, string databaseName) => _databases.TryAdd(resourceName, databaseName);
}
