namespace Leaderboard.Api.Data;

/// <summary>
/// <c>Leaderboard.Api migrate</c>: bring the schema up to date and exit, without serving. Kubernetes
/// runs it as a Job before a new version of the API rolls out, so no pod ever starts against an
/// old schema; the API still migrates at start-up (a no-op then) for local runs.
/// </summary>
internal static class MigrateCommandExtensions
{
    /// <summary>The first argument that selects this mode.</summary>
    public const string Command = "migrate";

    /// <summary>Whether <paramref name="args"/> asks for the migrate mode.</summary>
    public static bool IsMigrateCommand(this string[] args) => args is [Command, ..];

    /// <summary>
    /// Applies every pending migration, then shuts the application down (which flushes its logs);
    /// returns the exit code: 0 when the schema is current, 1 when it could not be brought there.
    /// </summary>
    public static async Task<int> RunMigrateCommandAsync(this WebApplication app)
    {
        await using (app)
        {
            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Leaderboard.Api.Migrate");
            try
            {
                await app.Services.GetRequiredService<SchemaMigrator>().StartAsync(app.Lifetime.ApplicationStopping);
                logger.LogInformation("The schema is up to date");
                return 0;
            }
            catch (Exception exception) when (exception is Npgsql.NpgsqlException or InvalidOperationException or TimeoutException)
            {
                logger.LogError("Schema migration failed: {Message}", exception.Message);
                return 1;
            }
        }
    }
}
