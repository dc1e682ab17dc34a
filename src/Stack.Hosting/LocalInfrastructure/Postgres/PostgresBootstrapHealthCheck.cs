using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Stack.Hosting.LocalInfrastructure.Postgres;

/// <summary>
/// Readiness of a process-mode PostgreSQL. Before the first success it finishes the server's
/// set-up over the private Unix socket (trusted, reachable only by the server's user and root):
/// the superuser's password is set to the parameter's value and missing databases are created.
/// Then it proves what clients will do: a password login over TCP. So <c>WaitFor</c> means a
/// client can connect and its database exists.
/// </summary>
internal sealed class PostgresBootstrapHealthCheck(PostgresProcessResource server) : IHealthCheck
{
    // Checks can overlap; two bootstraps at once would race on ALTER ROLE ("tuple concurrently updated").
    private readonly SemaphoreSlim _bootstrapLock = new(1, 1);
    private volatile bool _bootstrapped;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            if (!_bootstrapped)
            {
                await _bootstrapLock.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    if (!_bootstrapped)
                    {
                        await BootstrapAsync(cancellationToken).ConfigureAwait(false);
                        _bootstrapped = true;
                    }
                }
                finally
                {
                    _bootstrapLock.Release();
                }
            }

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

    private async Task BootstrapAsync(CancellationToken cancellationToken)
    {
        var password = await server.PasswordParameter.GetValueAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"The password parameter of '{server.Name}' has no value.");

        var socket = new NpgsqlConnectionStringBuilder
        {
            Host = server.SocketDirectory,
            Port = server.ServerPort,
            Username = PostgresProcessResource.UserName,
            Database = "postgres",
            Pooling = false,
            Timeout = 3,
        };

        await using var connection = new NpgsqlConnection(socket.ConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);

        // DDL takes no bind parameters; the password is quoted as a literal (generated passwords are alphanumeric).
        await ExecuteAsync(connection, $"ALTER ROLE {PostgresProcessResource.UserName} PASSWORD {QuoteLiteral(password)}", cancellationToken).ConfigureAwait(false);

        foreach (var databaseName in server.Databases.Values)
        {
            await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection);
            exists.Parameters.AddWithValue(databaseName);
            if (await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is null)
            {
                await ExecuteAsync(connection, $"CREATE DATABASE {QuoteIdentifier(databaseName)}", cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static string QuoteLiteral(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static string QuoteIdentifier(string value) => "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
