using Npgsql;

namespace Leaderboard.Api.Tests;

/// <summary>`Leaderboard.Api migrate`, the mode Kubernetes runs as a Job before each rollout, as a real process on real PostgreSQL.</summary>
public sealed class MigrateCommandTests(DataStoresFixture stores) : IClassFixture<DataStoresFixture>
{
    private static readonly string Api = Path.Combine(AppContext.BaseDirectory, "Leaderboard.Api.dll");

    [Fact]
    public async Task MigrateBringsAnEmptyDatabaseToTheLatestSchemaAndExitsWithoutServing()
    {
        var database = await CreateEmptyDatabaseAsync();

        for (var run = 1; run <= 2; run++)
        {
            // The second run finds nothing to do: a Job may run again on every sync.
            var result = await MigrateAsync(database);
            Assert.True(result.ExitCode == 0, $"run {run}: {result.AllOutput}");
            Assert.Contains("The schema is up to date", result.AllOutput);
            Assert.DoesNotContain("Now listening on", result.AllOutput);
        }

        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var versions = new NpgsqlCommand("SELECT count(*), max(version) FROM schema_migrations", connection);
        await using var reader = await versions.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        Assert.True(await reader.ReadAsync(TestContext.Current.CancellationToken));
        Assert.True(reader.GetInt64(0) >= 2);
        Assert.Equal(reader.GetInt64(0), reader.GetInt32(1));
    }

    [Fact]
    public async Task AMigrationThatCannotLogInExitsWithOneAndAClearMessage()
    {
        var wrongPassword = new NpgsqlConnectionStringBuilder(stores.DatabaseConnectionString) { Password = "not-the-password" }.ConnectionString;

        var result = await MigrateAsync(wrongPassword);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Schema migration failed: 28P01: password authentication failed", result.AllOutput);
        Assert.DoesNotContain("   at ", result.AllOutput);
    }

    private async Task<string> CreateEmptyDatabaseAsync()
    {
        var name = $"migrate_{Guid.NewGuid():N}";
        await using var connection = new NpgsqlConnection(stores.DatabaseConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await create.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        return new NpgsqlConnectionStringBuilder(stores.DatabaseConnectionString) { Database = name }.ConnectionString;
    }

    private async Task<(int ExitCode, string AllOutput)> MigrateAsync(string database)
    {
        var start = new System.Diagnostics.ProcessStartInfo("dotnet", ["exec", Api, "migrate"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.Environment["ConnectionStrings__leaderboard-db"] = database;
        start.Environment["ConnectionStrings__cache"] = stores.CacheConnectionString;
        start.Environment["Leaderboard__ServerKey"] = DataStoresFixture.ServerKey;
        start.Environment["Leaderboard__AdminKey"] = DataStoresFixture.AdminKey;

        using var process = System.Diagnostics.Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromMinutes(2), TestContext.Current.CancellationToken);
        return (process.ExitCode, await stdout + await stderr);
    }
}
