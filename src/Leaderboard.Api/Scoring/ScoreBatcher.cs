using System.Threading.Channels;
using Leaderboard.Api.Data;
using Leaderboard.Api.Model;
using Leaderboard.Api.Ranking;
using Leaderboard.Api.Telemetry;
using Npgsql;

namespace Leaderboard.Api.Scoring;

/// <summary>
/// Group commit. Submissions queue here; a few writers each take everything queued (up to
/// <see cref="MaxBatch"/>) and write it as one batch: one PostgreSQL transaction whose commit
/// acknowledges all of it (<see cref="ScoreStore.ApplyBatchAsync"/>), then one Redis round trip
/// that indexes it and announces the changed boards, then each caller gets its own outcome. Nobody
/// waits for a batch to fill: an idle writer takes a lone submission at once; under load,
/// submissions gather while the writers are busy, so batches grow with the load. Two submissions of
/// one record or one key never share a batch: the later waits for the next one, so each sees the
/// other's effect.
/// </summary>
internal sealed partial class ScoreBatcher(
    ScoreStore store,
    IdempotencyStore idempotency,
    RankingIndex index,
    IndexMaintenance maintenance,
    IndexWriteBudget indexBudget,
    TimeProvider clock,
    LeaderboardMetrics metrics,
    ILogger<ScoreBatcher> logger) : IHostedService
{
    /// <summary>The most submissions one transaction takes.</summary>
    public const int MaxBatch = 256;

    /// <summary>Transactions in flight at once per replica.</summary>
    public const int Writers = 4;

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleWriter = false, SingleReader = false });
    private readonly List<Task> _writers = [];
    private long _batches;
    private long _submissions;

    /// <summary>How many batches were committed, and how many submissions they held (a replica's whole life).</summary>
    public (long Batches, long Submissions) Committed => (Interlocked.Read(ref _batches), Interlocked.Read(ref _submissions));

    private sealed class Pending(ScoreStore.Submission submission)
    {
        public ScoreStore.Submission Submission { get; } = submission;

        public TaskCompletionSource<SubmitOutcome> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public (string, string, string) Row => (Submission.Board.BoardId, Submission.Period.Id, Submission.Score.PlayerId);
    }

    /// <summary>
    /// Queues the submission and returns its outcome once its batch is committed and indexed. A
    /// caller that goes away does not take it back: it is written all the same.
    /// </summary>
    /// <exception cref="NpgsqlException">The batch was not committed (or its commit not confirmed): nothing is acknowledged.</exception>
    public async Task<SubmitOutcome> SubmitAsync(ScoreStore.Submission submission, CancellationToken cancellationToken)
    {
        var pending = new Pending(submission);
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new InvalidOperationException("The service is stopping.");
        }

        return await pending.Outcome.Task.WaitAsync(cancellationToken);
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        for (var i = 0; i < Writers; i++)
        {
            _writers.Add(Task.Run(WriteBatchesAsync, CancellationToken.None));
        }

        return Task.CompletedTask;
    }

    /// <summary>Takes no new submissions, and writes those queued before returning.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_writers).WaitAsync(cancellationToken);
    }

    private async Task WriteBatchesAsync()
    {
        var carried = new List<Pending>();
        while (carried.Count > 0 || await _queue.Reader.WaitToReadAsync())
        {
            var batch = new List<Pending>();
            var rows = new HashSet<(string, string, string)>();
            var keys = new HashSet<string>(StringComparer.Ordinal);
            var later = new List<Pending>();
            bool Take(Pending pending)
            {
                if (batch.Count >= MaxBatch
                    || !rows.Add(pending.Row)
                    || (pending.Submission.Key is { } key && !keys.Add(key)))
                {
                    return false;
                }

                batch.Add(pending);
                return true;
            }

            foreach (var pending in carried)
            {
                if (!Take(pending))
                {
                    later.Add(pending);
                }
            }

            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var pending))
            {
                if (!Take(pending))
                {
                    later.Add(pending);
                }
            }

            carried = later;
            if (batch.Count > 0)
            {
                await WriteAsync(batch);
            }
        }
    }

    private async Task WriteAsync(List<Pending> batch)
    {
        ScoreStore.Outcome[] outcomes;
        try
        {
            outcomes = await store.ApplyBatchAsync([.. batch.Select(pending => pending.Submission)], clock.GetUtcNow(), (submission, result) => Describe(submission, result, rank: null), CancellationToken.None);
        }
        catch (Exception exception)
        {
            // Nothing of the batch is acknowledged; each caller sees why (PostgreSQL away: 503).
            foreach (var pending in batch)
            {
                pending.Outcome.TrySetException(exception);
            }

            return;
        }

        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _submissions, batch.Count);
        metrics.BatchCommitted(batch.Count);

        var ranks = await IndexAsync(batch, outcomes);
        var answers = new SubmitOutcome[batch.Count];
        var remember = new List<(string Key, SubmitScoreResponse Response)>();
        for (var i = 0; i < batch.Count; i++)
        {
            var submission = batch[i].Submission;
            answers[i] = outcomes[i] switch
            {
                ScoreStore.Outcome.Written written => new SubmitOutcome.Accepted(Describe(submission, written.Result, ranks[i])),
                ScoreStore.Outcome.Replayed replayed => Replayed(replayed.Response),
                ScoreStore.Outcome.KeyReused => new SubmitOutcome.KeyReused(),
                ScoreStore.Outcome.OutOfRange outOfRange => new SubmitOutcome.Rejected("score", outOfRange.Message),
                _ => new SubmitOutcome.BoardNotFound(),
            };
            if (submission.Key is { } key && outcomes[i] is ScoreStore.Outcome.Written && ranks[i] is not null)
            {
                remember.Add((key, ((SubmitOutcome.Accepted)answers[i]).Response));
            }
            else
            {
                batch[i].Outcome.TrySetResult(answers[i]);
            }
        }

        if (remember.Count == 0)
        {
            return;
        }

        // Keyed answers wait for their rank to be remembered, so a replay answers as they did.
        try
        {
            await idempotency.CompleteAsync(remember, CancellationToken.None);
        }
        catch (NpgsqlException exception)
        {
            // The scores are committed: answer them. A replay of these keys answers without the rank.
            LogRankNotRemembered(exception, remember.Count);
        }

        for (var i = 0; i < batch.Count; i++)
        {
            batch[i].Outcome.TrySetResult(answers[i]);
        }
    }

    // One round trip indexes the batch, one script per period, and announces the periods that
    // changed. Past the write budget, or with Redis away, the ranks are null and the periods are
    // rebuilt later; the scores are committed either way.
    private async Task<long?[]> IndexAsync(List<Pending> batch, ScoreStore.Outcome[] outcomes)
    {
        var ranks = new long?[batch.Count];
        var periods = Enumerable.Range(0, batch.Count)
            .Where(i => outcomes[i] is ScoreStore.Outcome.Written)
            .GroupBy(i => (batch[i].Submission.Board.BoardId, batch[i].Submission.Period.Id))
            .Select(group => (
                Keys: new IndexKeys(group.Key.BoardId, group.Key.Id),
                batch[group.First()].Submission.Board.SortOrder,
                Entries: group.ToArray(),
                Changed: group.Any(i => ((ScoreStore.Outcome.Written)outcomes[i]).Result.Changed)))
            .ToArray();
        if (periods.Length == 0)
        {
            return ranks;
        }

        try
        {
            var indexed = await indexBudget.WithinAsync(index.ApplyAsync([.. periods.Select(period => new RankingIndex.PeriodWrites(
                period.Keys,
                period.SortOrder,
                [.. period.Entries.Select(i => ((ScoreStore.Outcome.Written)outcomes[i]).Result.Record)],
                period.Changed))]));
            for (var p = 0; p < periods.Length; p++)
            {
                for (var e = 0; e < periods[p].Entries.Length; e++)
                {
                    ranks[periods[p].Entries[e]] = indexed[p][e];
                }
            }
        }
        catch (IndexUnavailableException exception)
        {
            foreach (var period in periods)
            {
                LogIndexFailed(exception, period.Keys.BoardId, period.Keys.PeriodId);
                metrics.IndexUnavailable("write");
                maintenance.RecordMissedWrite(period.Keys.BoardId, period.Keys.PeriodId);
            }
        }

        return ranks;
    }

    private SubmitOutcome.Accepted Replayed(SubmitScoreResponse response)
    {
        metrics.IdempotentReplay();
        return new SubmitOutcome.Accepted(response);
    }

    private static SubmitScoreResponse Describe(ScoreStore.Submission submission, ScoreStore.WriteResult result, long? rank) =>
        new(result.Record.PlayerId, result.Record.Score, result.Record.Subscore, rank, submission.Period.Id, result.Changed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} scores stored durably, but their ranks could not be remembered with their idempotency keys")]
    private partial void LogRankNotRemembered(Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Score stored durably but not indexed for board {BoardId}, period {PeriodId}; the index will be rebuilt")]
    private partial void LogIndexFailed(Exception exception, string boardId, string periodId);
}
