using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Stack.Hosting.LocalInfrastructure.Postgres;

/// <summary>
/// Readiness of a process-mode PostgreSQL. It waits for the server process's one bootstrap
/// (<see cref="PostgresBootstrap"/>), then proves what clients will do: a password login over TCP.
/// So <c>WaitFor</c> means a client can connect and its database exists.
/// </summary>
internal sealed class PostgresBootstrapHealthCheck(PostgresProcessResource server, PostgresBootstrap bootstrap, ILogger logger) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await bootstrap.EnsureAsync(logger, cancellationToken).ConfigureAwait(false);

            var connectionString = await server.ConnectionStringExpression.GetValueAsync(cancellationToken).ConfigureAwait(false);
            await using var connection = new NpgsqlConnection($"{connectionString};Database=postgres;Pooling=false;Timeout=3");
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy();
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException or InvalidOperationException or OperationCanceledException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, exception.Message);
        }
    }
}
