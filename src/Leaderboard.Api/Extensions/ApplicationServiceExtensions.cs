using Leaderboard.Api.Infrastructure;
using Leaderboard.Api.Services;

namespace Leaderboard.Api.Extensions;

/// <summary>Registers the leaderboard's data stores and services.</summary>
public static class ApplicationServiceExtensions
{
    /// <summary>Connection name of the durable score store (PostgreSQL), as declared in the AppHost.</summary>
    public const string DatabaseConnectionName = "leaderboard-db";

    /// <summary>Connection name of the ranking index (Redis), as declared in the AppHost.</summary>
    public const string CacheConnectionName = "cache";

    /// <summary>Adds PostgreSQL, Redis, the schema migrator and the score service.</summary>
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        builder.AddNpgsqlDataSource(DatabaseConnectionName);
        builder.AddRedisClient(CacheConnectionName, settings => settings.DisableTracing = false, options =>
        {
            // The index is rebuildable; the service must start (and keep accepting durable writes) while Redis is away.
            options.AbortOnConnectFail = false;
        });

        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();

        builder.Services.AddSingleton<SchemaMigrator>();
        builder.Services.AddHostedService(services => services.GetRequiredService<SchemaMigrator>());
        builder.Services.AddHealthChecks().AddCheck<SchemaMigrationHealthCheck>("schema-migrations");

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ScoreStore>();
        builder.Services.AddSingleton<RankingIndex>();
        builder.Services.AddSingleton<ScoreService>();

        return builder;
    }
}
