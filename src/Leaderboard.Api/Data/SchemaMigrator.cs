using System.Diagnostics;
using Npgsql;

namespace Leaderboard.Api.Data;

/// <summary>
/// Brings the database schema up to date before the service listens: hosted services start
/// before Kestrel, so no request ever sees an old schema. Replicas starting together serialise
/// on an advisory lock, so each migration runs exactly once.
/// </summary>
internal sealed partial class SchemaMigrator(NpgsqlDataSource dataSource, ILogger<SchemaMigrator> logger) : IHostedService
{
    // Any constant shared by all replicas; it names "the schema migration lock" for this database.
    private const long MigrationLockKey = 0x4c6561646572;
    private static readonly ActivitySource ActivitySource = new("Leaderboard.Api");
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);
    private const int MaxAttempts = 30;

    /// <summary>Whether every migration has been applied.</summary>
    public bool IsComplete { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        using var activity = ActivitySource.StartActivity("Migrate leaderboard schema");

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await MigrateAsync(cancellationToken);
                IsComplete = true;
                return;
            }
            catch (NpgsqlException exception) when (attempt < MaxAttempts && exception.IsTransient)
            {
                LogRetrying(exception.Message, attempt);
                await Task.Delay(RetryDelay, cancellationToken);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        await ExecuteAsync(connection, transaction, $"SELECT pg_advisory_xact_lock({MigrationLockKey})", cancellationToken);
        await ExecuteAsync(connection, transaction, """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version     integer     PRIMARY KEY,
                description text        NOT NULL,
                applied_at  timestamptz NOT NULL DEFAULT now()
            )
            """, cancellationToken);

        await using var current = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM schema_migrations", connection, transaction);
        var currentVersion = (int)(await current.ExecuteScalarAsync(cancellationToken))!;

        foreach (var (version, description, sql) in SchemaMigrations.All.Where(migration => migration.Version > currentVersion))
        {
            await ExecuteAsync(connection, transaction, sql, cancellationToken);
            await using var record = new NpgsqlCommand("INSERT INTO schema_migrations (version, description) VALUES ($1, $2)", connection, transaction);
            record.Parameters.AddWithValue(version);
            record.Parameters.AddWithValue(description);
            await record.ExecuteNonQueryAsync(cancellationToken);
            LogApplied(version, description);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied schema migration {Version}: {Description}")]
    private partial void LogApplied(int version, string description);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database not reachable yet ({Reason}); migration attempt {Attempt} will be retried")]
    private partial void LogRetrying(string reason, int attempt);
}
