using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Stack.Hosting.LocalInfrastructure.Postgres;

/// <summary>Healthy when a client can log in to the database with its own connection string.</summary>
internal sealed class PostgresDatabaseHealthCheck(IResourceWithConnectionString database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var connectionString = await database.ConnectionStringExpression.GetValueAsync(cancellationToken).ConfigureAwait(false);
            await using var connection = new NpgsqlConnection($"{connectionString};Pooling=false;Timeout=3");
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy();
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException or InvalidOperationException or OperationCanceledException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, exception.Message);
        }
    }
}
