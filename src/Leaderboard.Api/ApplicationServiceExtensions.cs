using Leaderboard.Api.Boards;
using Leaderboard.Api.Data;
using Leaderboard.Api.Http;
using Leaderboard.Api.Ranking;
using Leaderboard.Api.Scoring;
using Leaderboard.Api.Telemetry;

namespace Leaderboard.Api;

/// <summary>Registers the leaderboard's data stores, services and request guards.</summary>
public static class ApplicationServiceExtensions
{
    /// <summary>Connection name of the durable score store (PostgreSQL), as declared in the AppHost.</summary>
    public const string DatabaseConnectionName = "leaderboard-db";

    /// <summary>Connection name of the ranking index (Redis), as declared in the AppHost.</summary>
    public const string CacheConnectionName = "cache";

    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        builder.AddNpgsqlDataSource(DatabaseConnectionName);
        builder.AddRedisClient(
            CacheConnectionName,
            // Readiness leaves Redis out: while the index is away, writes still succeed and reads
            // answer 503 themselves, so taking every replica out of its Service would only turn
            // durable writes away too.
            configureSettings: settings => settings.DisableHealthChecks = true,
            configureOptions: options =>
            {
                // The index is rebuildable: the service must start, and keep taking durable writes, while
                // Redis is away. Commands fail at once instead of queueing, so a write is not held up
                // waiting for an index that will be rebuilt anyway.
                options.AbortOnConnectFail = false;
                options.BacklogPolicy = StackExchange.Redis.BacklogPolicy.FailFast;
            });

        builder.Services.AddOptions<ApiKeyOptions>()
            .BindConfiguration(ApiKeyOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOptions<IndexWriteBudget.Settings>()
            .BindConfiguration(IndexWriteBudget.Settings.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOptions<IndexMaintenance.Settings>()
            .BindConfiguration(IndexMaintenance.Settings.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddApiJsonOptions();
        builder.Services.AddApiRateLimiting();
        builder.AddTrustedProxies();
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
        builder.Services.AddExceptionHandler<IndexUnavailableExceptionHandler>();
        builder.Services.AddExceptionHandler<DatabaseUnavailableExceptionHandler>();

        builder.Services.AddSingleton<SchemaMigrator>();
        builder.Services.AddHostedService(services => services.GetRequiredService<SchemaMigrator>());
        builder.Services.AddHealthChecks().AddCheck<SchemaMigrationHealthCheck>("schema-migrations");

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddKeyedSingleton(WallClock.Key, TimeProvider.System);
        builder.Services.AddSingleton<BoardStore>();
        builder.Services.AddSingleton<BoardCache>();
        builder.Services.AddHostedService(services => services.GetRequiredService<BoardCache>());
        builder.Services.AddSingleton<BoardPeriods>();
        builder.Services.AddSingleton<ScoreStore>();
        builder.Services.AddSingleton<StatsStore>();
        builder.Services.AddSingleton<IdempotencyStore>();
        builder.Services.AddSingleton<RankingIndex>();
        builder.Services.AddSingleton<IndexMaintenance>();
        builder.Services.AddSingleton<IndexWriteBudget>();
        builder.Services.AddSingleton<ScoreBatcher>();
        builder.Services.AddHostedService(services => services.GetRequiredService<ScoreBatcher>());
        builder.Services.AddSingleton<ScoreService>();
        builder.Services.AddSingleton<LeaderboardReader>();
        builder.Services.AddSingleton<BoardService>();
        builder.Services.AddSingleton<LiveBoards>();
        builder.Services.AddHostedService(services => services.GetRequiredService<LiveBoards>());
        builder.Services.AddHostedService<IndexRepairService>();
        builder.Services.AddHostedService<IdempotencyPurgeService>();
        builder.Services.AddSingleton<LeaderboardMetrics>();
        builder.Services.AddHostedService<IndexSizeSampler>();

        return builder;
    }
}
