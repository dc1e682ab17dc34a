namespace Leaderboard.Stats.Recaps;

/// <summary>
/// Runs the recap stage on its own loop, apart from the stats rounds: a model that answers slowly
/// (or not at all) never holds back the stats. Registered only when a model is configured.
/// </summary>
public sealed partial class RecapService(RecapStage stage, ILogger<RecapService> logger) : BackgroundService
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(30);

    /// <summary>The pause between two rounds.</summary>
    public TimeSpan Interval { get; init; } = DefaultInterval;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await stage.WriteDueAsync(stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                // The model or PostgreSQL away: the stats go on; recaps wait for the next round.
                LogRoundFailed(logger, exception.GetType().Name, exception.Message);
            }

            await Task.Delay(Interval, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    // The message, not the exception: a client's exception can carry the request, and with it the key.
    [LoggerMessage(Level = LogLevel.Warning, Message = "A round of recaps failed ({Kind}: {Reason}); the next round tries again.")]
    private static partial void LogRoundFailed(ILogger logger, string kind, string reason);
}
