using Leaderboard.Api.Boards;
using Leaderboard.Api.Data;
using Leaderboard.Api.Model;
using Leaderboard.Api.Ranking;
using Leaderboard.Api.Telemetry;

namespace Leaderboard.Api.Scoring;

/// <summary>
/// The path of a score: the board's rules (from memory), then group commit (<see cref="ScoreBatcher"/>):
/// PostgreSQL, durable with its idempotency key, then the Redis index. And the removal of a player.
/// An index failure never fails a stored write or removal: the period is marked for rebuild instead.
/// </summary>
internal sealed class ScoreService(
    BoardCache boards,
    BoardPeriods periods,
    ScoreBatcher batcher,
    ScoreStore store,
    IdempotencyStore idempotency,
    RankingIndex index,
    IndexMaintenance maintenance,
    IndexWriteBudget indexBudget,
    LeaderboardMetrics metrics)
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
            ? null
            : IdempotencyStore.HashRequest(boardId, submission.PlayerId, submission.Score, submission.Subscore, submission.Metadata);

        var bound = board.MinScore is { } min && submission.Score < min ? $"score must be at least {min} on board '{boardId}'."
            : board.MaxScore is { } max && submission.Score > max ? $"score must be at most {max} on board '{boardId}'."
            : null;
        if (bound is not null)
        {
            // A key used before answers as it did, even if the bounds have changed since.
            return idempotencyKey is not null && await ReplayAsync(idempotencyKey, requestHash!, cancellationToken) is { } replayed
                ? replayed
                : new SubmitOutcome.Rejected("score", bound);
        }

        return await batcher.SubmitAsync(new ScoreStore.Submission(board, periods.Current(board), submission, idempotencyKey, requestHash), cancellationToken);
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
                metrics.IndexUnavailable("write");
                maintenance.RecordMissedWrite(boardId, periodId);
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
}
