using Leaderboard.Stats.Feed;
using Npgsql;

namespace Leaderboard.Stats.Worker;

/// <summary>
/// Applies every board's logged changes, again and again: a board's stats trail its records by about
/// <see cref="Interval"/> plus one batch. PostgreSQL away, or its schema not migrated yet: logged,
/// and tried again next round.
/// </summary>
public sealed partial class StatsWorker(NpgsqlDataSource database, StatsLag lag, ILogger<StatsWorker> logger) : BackgroundService
{
    /// <summary>The pause between two rounds over the boards.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromMilliseconds(200);

    private const int MaxBatchesPerRound = 10;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var applier = new ChangeApplier(database);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                foreach (var boardId in await BoardsAsync(stoppingToken))
                {
                    // Until caught up (a batch applies nothing, or another replica holds the board), but
                    // a few batches at most, so one busy board never starves the others.
                    for (var batch = 0; batch < MaxBatchesPerRound && await applier.ApplyNextAsync(boardId, stoppingToken) > 0; batch++)
                    {
                    }
                }

                await lag.MeasureAsync(database, stoppingToken);
            }
            catch (Exception exception) when (exception is NpgsqlException && !stoppingToken.IsCancellationRequested)
            {
                LogRoundFailed(logger, exception);
            }

            await Task.Delay(Interval, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>
    /// The boards with logged rows: applied rows are deleted as they are applied, so these are the
    /// boards with something to apply (or rows of transactions still running). A quiet stack costs
    /// one small query a round, not a transaction per board.
    /// </summary>
    private async Task<List<string>> BoardsAsync(CancellationToken cancellationToken)
    {
        var boards = new List<string>();
        await using var command = database.CreateCommand(
            "SELECT board_id FROM score_changes_log UNION SELECT board_id FROM score_submissions_log ORDER BY board_id");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            boards.Add(reader.GetString(0));
        }

        return boards;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A round of stats failed; the next round tries again.")]
    private static partial void LogRoundFailed(ILogger logger, Exception exception);
}
