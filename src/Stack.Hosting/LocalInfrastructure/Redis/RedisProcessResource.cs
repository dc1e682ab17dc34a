using Aspire.Hosting.ApplicationModel;

namespace Stack.Hosting.LocalInfrastructure.Redis;

/// <summary>
/// A Redis-compatible server (redis-server or Garnet) that the AppHost runs as a local process.
/// Its connection string has the shape of Aspire's container <c>RedisResource</c>, so services
/// cannot tell the two apart.
/// </summary>
public sealed class RedisProcessResource(string name, string command, string workingDirectory, ParameterResource password)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    internal const string PrimaryEndpointName = "tcp";

    /// <summary>The password clients send with AUTH.</summary>
    public ParameterResource PasswordParameter { get; } = password;

    /// <summary>The endpoint clients connect to.</summary>
    public EndpointReference PrimaryEndpoint => field ??= new(this, PrimaryEndpointName);

    /// <inheritdoc />
    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{PrimaryEndpoint.Property(EndpointProperty.HostAndPort)},password={PasswordParameter}");
}
