using Microsoft.Extensions.Logging;
using Npgsql;

namespace Stack.Hosting.LocalInfrastructure.Postgres;

/// <summary>
/// Finishes a process-mode PostgreSQL's set-up once per start of its server process, over the
/// private Unix socket (trusted, reachable only by the server's user and root): the superuser's
/// password is set to the parameter's value and missing databases are created.
/// </summary>
/// <remarks>
/// One instance lives as long as the resource. Health checks are created anew for every run, so the
/// state cannot live in them: two bootstraps at once race on <c>ALTER ROLE</c> ("tuple concurrently updated").
/// </remarks>
internal sealed class PostgresBootstrap(PostgresProcessResource server)
{
    private readonly Lock _gate = new();
    private Task? _current;

    /// <summary>A new server process is starting: it needs its own bootstrap (its password may differ from the data directory's).</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _current = null;
        }
    }

    /// <summary>
    /// Completes when the running server process has been bootstrapped: starts the bootstrap unless it
    /// is done or under way, and starts it again after a failure (the server may not listen yet).
    /// </summary>
    public Task EnsureAsync(ILogger logger, CancellationToken cancellationToken)
    {
        Task current;
        lock (_gate)
        {
            if (_current is null || _current.IsFaulted || _current.IsCanceled)
            {
                _current = RunAsync(logger, cancellationToken);
            }

            current = _current;
        }

        return current.WaitAsync(cancellationToken);
    }

    private async Task RunAsync(ILogger logger, CancellationToken cancellationToken)
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

        var created = new List<string>();
        foreach (var databaseName in server.Databases.Values)
        {
            await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection);
            exists.Parameters.AddWithValue(databaseName);
            if (await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is null)
            {
                await ExecuteAsync(connection, $"CREATE DATABASE {QuoteIdentifier(databaseName)}", cancellationToken).ConfigureAwait(false);
                created.Add(databaseName);
            }
        }

        logger.LogInformation("Bootstrapped PostgreSQL: password of '{User}' set; databases created: {Created}", PostgresProcessResource.UserName, created.Count == 0 ? "none" : string.Join(", ", created));
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static string QuoteLiteral(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static string QuoteIdentifier(string value) => "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
