using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Leaderboard.Api.Data;

/// <summary>Readiness reports the migration: a replica is not ready until its schema is current.</summary>
internal sealed class SchemaMigrationHealthCheck(SchemaMigrator migrator) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(migrator.IsComplete
            ? HealthCheckResult.Healthy("Schema is current.")
            : HealthCheckResult.Unhealthy("Schema migrations have not finished."));
}
