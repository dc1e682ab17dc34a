using Leaderboard.Api.Boards;
using Leaderboard.Api.Data;
using Leaderboard.Api.Model;
using Leaderboard.Api.Ranking;
using Leaderboard.Api.Telemetry;
using Npgsql;

namespace Leaderboard.Api.Scoring;

/// <summary>
/// The path of a score: validation against the board, PostgreSQL (durable, with its idempotency
/// key), then the Redis index; and the removal of a player. An index failure never fails a
/// stored write or removal: the period is marked for rebuild instead.
/// </summary>
internal sealed partial class ScoreService(
    BoardStore boards,
    BoardPeriods periods,
    ScoreStore store,
    IdempotencyStore idempotency,
    RankingIndex index,
    IndexMaintenance maintenance,
    IndexWriteBudget indexBudget,
    LiveBoards live,
    TimeProvider clock,
    LeaderboardMetrics metrics,
    ILogger<ScoreService> logger)
{
    public async Task<SubmitOutcome> SubmitAsync(string boardId, SubmittedScore submission, string? idempotencyKey, CancellationToken cancellationToken)
    {
        var board = await boards.GetAsync(boardId, cancellationToken);
        var outcome = board is null ? new SubmitOutcome.BoardNotFound() : await SubmitToAsync(board, submission, idempotencyKey, cancellationToken);
        metrics.ScoreSubmitted(board?.Operator, outcome);
        return outcome;
    }

    private async Task<SubmitOutcome> SubmitToAsync(Board board, SubmittedScore submission, string? idempotencyKey, CancellationToken cancellationToken)
    {
        var boardId = board.BoardId;

        // Only a keyed request is hashed: the hash is what a repeat of the key is compared with.
        var requestHash = idempotencyKey is null
            ? []
            : IdempotencyStore.HashRequest(boardId, submission.PlayerId, submission.Score, submission.Subscore, submission.Metadata);
        if (idempotencyKey is not null && await ReplayAsync(idempotencyKey, requestHash, cancellationToken) is { } replayed)
        {
            return replayed;
        }

        if (board.MinScore is { } min && submission.Score < min)
        {
            return new SubmitOutcome.Rejected("score", $"score must be at least {min} on board '{boardId}'.");
        }

        if (board.MaxScore is { } max && submission.Score > max)
        {
            return new SubmitOutcome.Rejected("score", $"score must be at most {max} on board '{boardId}'.");
        }

        var period = periods.Current(board);
        ScoreStore.WriteResult written;
        try
        {
            var claim = idempotencyKey is null
                ? null
                : new ScoreStore.IdempotencyClaim(idempotencyKey, requestHash, result => Describe(result, period, rank: null));
            written = await store.ApplyAsync(board, period, submission, clock.GetUtcNow(), claim, cancellationToken);
        }
        catch (ScoreOutOfRangeException exception)
        {
            return new SubmitOutcome.Rejected("score", exception.Message);
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.ForeignKeyViolation)
        {
            // The board was deleted between its lookup and this write.
            return new SubmitOutcome.BoardNotFound();
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.UniqueViolation && idempotencyKey is not null)
        {
            // A concurrent request with the same key committed first: answer as it did.
            return await ReplayAsync(idempotencyKey, requestHash, cancellationToken)
                ?? throw new InvalidOperationException("An idempotency key conflicted but cannot be found.", exception);
        }

        var rank = await IndexAsync(board, period, written.Record, written.Changed);
        var response = Describe(written, period, rank);
        if (idempotencyKey is not null && rank is not null)
        {
            try
            {
                await idempotency.CompleteAsync(idempotencyKey, response, cancellationToken);
            }
            catch (NpgsqlException exception)
            {
                // The score is committed: answer it. A replay of the key answers without the rank.
                LogRankNotRemembered(exception, boardId);
            }
        }

        return new SubmitOutcome.Accepted(response);
    }

    /// <summary>Removes the player from every period of the board (moderation, erasure); false when there is no such board.</summary>
    public async Task<bool> DeletePlayerAsync(string boardId, string playerId, CancellationToken cancellationToken)
    {
        if (await boards.GetAsync(boardId, cancellationToken) is null)
        {
            return false;
        }

        foreach (var periodId in await store.DeletePlayerAsync(boardId, playerId, cancellationToken))
        {
            try
            {
                await indexBudget.WithinAsync(index.RemoveAsync(new IndexKeys(boardId, periodId), playerId));
            }
            catch (IndexUnavailableException)
            {
                maintenance.RecordMissedWrite(boardId, periodId);
                metrics.IndexUnavailable("write");
            }
        }

        return true;
    }

    private async Task<SubmitOutcome?> ReplayAsync(string key, byte[] requestHash, CancellationToken cancellationToken) =>
        await idempotency.FindAsync(key, cancellationToken) switch
        {
            null => null,
            { } remembered when remembered.RequestHash.AsSpan().SequenceEqual(requestHash) => Replayed(remembered.Response),
            _ => new SubmitOutcome.KeyReused(),
        };

    private SubmitOutcome.Accepted Replayed(SubmitScoreResponse response)
    {
        metrics.IdempotentReplay();
        return new SubmitOutcome.Accepted(response);
    }

    private async Task<long?> IndexAsync(Board board, Period period, ScoreRecord record, bool changed)
    {
        try
        {
            return await indexBudget.WithinAsync(ApplyAndAnnounceAsync(board, period, record, changed));
        }
        catch (IndexUnavailableException exception)
        {
            LogIndexFailed(exception, board.BoardId, period.Id);
            metrics.IndexUnavailable("write");
            maintenance.RecordMissedWrite(board.BoardId, period.Id);
            return null;
        }
    }

    private async Task<long> ApplyAndAnnounceAsync(Board board, Period period, ScoreRecord record, bool changed)
    {
        var rank = await index.ApplyAsync(new IndexKeys(board.BoardId, period.Id), board.SortOrder, record);
        if (changed)
        {
            await live.AnnounceAsync(board.BoardId, period.Id);
        }

        return rank;
    }

    private static SubmitScoreResponse Describe(ScoreStore.WriteResult result, Period period, long? rank) =>
        new(result.Record.PlayerId, result.Record.Score, result.Record.Subscore, rank, period.Id, result.Changed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Score stored durably on board {BoardId}, but its rank could not be remembered with its idempotency key")]
    private partial void LogRankNotRemembered(Exception exception, string boardId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Score stored durably but not indexed for board {BoardId}, period {PeriodId}; the index will be rebuilt")]
    private partial void LogIndexFailed(Exception exception, string boardId, string periodId);
}
