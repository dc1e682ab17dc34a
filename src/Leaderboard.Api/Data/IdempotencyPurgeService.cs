namespace Leaderboard.Api.Data;

/// <summary>Hourly, forgets idempotency keys older than twice their promised retention.</summary>
internal sealed partial class IdempotencyPurgeService(IdempotencyStore store, TimeProvider clock, ILogger<IdempotencyPurgeService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1));
        do
        {
            try
            {
                var purged = await store.PurgeAsync(clock.GetUtcNow() - (2 * IdempotencyStore.Retention), stoppingToken);
                LogPurged(purged);
            }
            catch (Npgsql.NpgsqlException exception)
            {
                LogPurgeFailed(exception);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Purged {Count} expired idempotency keys")]
    private partial void LogPurged(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Purging expired idempotency keys failed; will retry in an hour")]
    private partial void LogPurgeFailed(Exception exception);
}
