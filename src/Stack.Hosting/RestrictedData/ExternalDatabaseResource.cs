using Aspire.Hosting.ApplicationModel;

namespace Stack.Hosting.RestrictedData;

/// <summary>
/// A database that lives outside this graph (another team's, another namespace), known by its
/// address. Credentials are not part of it: whoever may use it gets them elsewhere.
/// </summary>
/// <param name="name">The resource name.</param>
/// <param name="host">Its host name, e.g. <c>payments-db.payments.svc.cluster.local</c>.</param>
/// <param name="port">Its port.</param>
/// <param name="database">The database name.</param>
public sealed class ExternalDatabaseResource(string name, string host, int port, string database) : Resource(name), IResourceWithConnectionString
{
    /// <summary>The host name.</summary>
    public string Host { get; } = host;

    /// <summary>The port.</summary>
    public int Port { get; } = port;

    /// <summary>The database name.</summary>
    public string Database { get; } = database;

    /// <inheritdoc />
    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"Host={Host};Port={Port.ToString(System.Globalization.CultureInfo.InvariantCulture)};Database={Database}");
}
