using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Leaderboard.Api.Boards;
using Leaderboard.Api.Data;
using Leaderboard.Api.Model;
using Leaderboard.Api.Ranking;
using Leaderboard.Api.Scoring;

namespace Leaderboard.Api.Telemetry;

/// <summary>
/// The leaderboard's own meters, next to ASP.NET Core's <c>http.server.request.duration</c>. The meter
/// is named after the application, which ServiceDefaults exports (OTLP, and Prometheus on the
/// management port, where <c>leaderboard.scores.submitted</c> reads <c>leaderboard_scores_submitted_total</c>).
/// Each event is one call from where it happens.
/// </summary>
internal sealed class LeaderboardMetrics
{
    /// <summary>Tag: the board's operator (<c>best</c>, <c>set</c>, <c>increment</c>, <c>decrement</c>; <c>none</c> for an unknown board).</summary>
    public const string OperatorTag = "leaderboard.operator";

    /// <summary>Tag: what became of a submission or a rebuild.</summary>
    public const string OutcomeTag = "leaderboard.outcome";

    /// <summary>Tag: the read or write the ranking index could not serve.</summary>
    public const string OperationTag = "leaderboard.operation";

    /// <summary>Tag: the board an index size belongs to.</summary>
    public const string BoardTag = "leaderboard.board";

    // Group commit: 1 when writes are sparse, up to the batcher's maximum under load.
    private static readonly int[] BatchBuckets = [1, 2, 4, 8, 16, 32, 64, 128, 256];

    // Rebuilds take milliseconds for small boards and minutes for millions of entries.
    private static readonly double[] RebuildBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

    private readonly Counter<long> _submitted;
    private readonly Counter<long> _rebuilds;
    private readonly Histogram<double> _rebuildDuration;
    private readonly Histogram<int> _batchSize;

    // Rare events are counted here and observed at each collection, so their series exist from the
    // start at 0 (a dashboard shows 0, not "no data"), whenever the exporter starts listening.
    private long _replays;
    private long _unavailableReads;
    private long _unavailableWrites;
    private long _watchers;
    private readonly ConcurrentDictionary<string, long> _indexEntries = new(StringComparer.Ordinal);

    public LeaderboardMetrics(IMeterFactory meters, IHostEnvironment environment)
    {
        var meter = meters.Create(environment.ApplicationName);
        _submitted = meter.CreateCounter<long>("leaderboard.scores.submitted", "{score}", "Score submissions, by the board's operator and their outcome.");
        meter.CreateObservableCounter("leaderboard.idempotency.replays", () => Interlocked.Read(ref _replays), "{request}", "Submissions answered from their idempotency key instead of applied again.");
        _rebuilds = meter.CreateCounter<long>("leaderboard.index.rebuilds", "{rebuild}", "Ranking index rebuilds from PostgreSQL, by outcome.");
        _rebuildDuration = meter.CreateHistogram("leaderboard.index.rebuild.duration", "s", "How long a ranking index rebuild took.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = RebuildBuckets });
        _batchSize = meter.CreateHistogram("leaderboard.scores.batch.size", "{score}", "Submissions committed together by one transaction (group commit).",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = BatchBuckets });
        meter.CreateObservableCounter("leaderboard.index.unavailable", ObserveUnavailable, "{event}", "Reads answered 503 and writes left unindexed because the ranking index (Redis) was away.");
        meter.CreateObservableUpDownCounter("leaderboard.live.watchers", () => Interlocked.Read(ref _watchers), "{watcher}", "Live-feed streams open on this replica.");
        meter.CreateObservableGauge("leaderboard.index.entries", ObserveIndexEntries, "{entry}", "Entries in the ranking index of each board's current period, as last sampled.");
    }

    /// <summary>A submission was answered.</summary>
    public void ScoreSubmitted(ScoreOperator? scoreOperator, SubmitOutcome outcome) => _submitted.Add(1,
        new(OperatorTag, scoreOperator?.ToString().ToLowerInvariant() ?? "none"),
        new(OutcomeTag, outcome switch
        {
            SubmitOutcome.Accepted => "accepted",
            SubmitOutcome.Rejected => "rejected",
            SubmitOutcome.BoardNotFound => "board_not_found",
            SubmitOutcome.KeyReused => "key_reused",
            _ => "other",
        }));

    /// <summary>One transaction committed this many submissions.</summary>
    public void BatchCommitted(int submissions) => _batchSize.Record(submissions);

    /// <summary>A submission repeated an idempotency key with the same body and got the first answer.</summary>
    public void IdempotentReplay() => Interlocked.Increment(ref _replays);

    /// <summary>The ranking index could not serve a <c>read</c> (503) or a <c>write</c> (indexed later).</summary>
    public void IndexUnavailable(string operation) => Interlocked.Increment(ref operation == "read" ? ref _unavailableReads : ref _unavailableWrites);

    /// <summary>A live-feed stream opened on this replica.</summary>
    public void WatcherJoined() => Interlocked.Increment(ref _watchers);

    /// <summary>A live-feed stream closed.</summary>
    public void WatcherLeft() => Interlocked.Decrement(ref _watchers);

    /// <summary>Starts timing a rebuild; disposing it without <see cref="Rebuild.Succeeded"/> counts it as failed.</summary>
    public Rebuild StartRebuild(string boardId) => new(this, boardId);

    /// <summary>The size of a board's current index, as a sampler or a rebuild saw it.</summary>
    public void IndexEntries(string boardId, long entries) => _indexEntries[boardId] = entries;

    /// <summary>Forgets the boards not in <paramref name="boardIds"/> (deleted), so their size is no longer reported.</summary>
    public void KeepIndexEntriesOf(IReadOnlySet<string> boardIds)
    {
        foreach (var boardId in _indexEntries.Keys.Where(id => !boardIds.Contains(id)))
        {
            _indexEntries.TryRemove(boardId, out _);
        }
    }

    private IEnumerable<Measurement<long>> ObserveUnavailable() =>
    [
        new(Interlocked.Read(ref _unavailableReads), new KeyValuePair<string, object?>(OperationTag, "read")),
        new(Interlocked.Read(ref _unavailableWrites), new KeyValuePair<string, object?>(OperationTag, "write")),
    ];

    private IEnumerable<Measurement<long>> ObserveIndexEntries() =>
        _indexEntries.Select(entry => new Measurement<long>(entry.Value, new KeyValuePair<string, object?>(BoardTag, entry.Key)));

    /// <summary>One rebuild being timed.</summary>
    public sealed class Rebuild(LeaderboardMetrics metrics, string boardId) : IDisposable
    {
        private readonly long _started = Stopwatch.GetTimestamp();
        private bool _succeeded;
        private bool _disposed;

        /// <summary>The rebuild wrote <paramref name="entries"/> entries and marked the index ready.</summary>
        public void Succeeded(long entries)
        {
            _succeeded = true;
            metrics.IndexEntries(boardId, entries);
        }

        public void Dispose()
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            var outcome = new KeyValuePair<string, object?>(OutcomeTag, _succeeded ? "rebuilt" : "failed");
            metrics._rebuilds.Add(1, outcome);
            metrics._rebuildDuration.Record(Stopwatch.GetElapsedTime(_started).TotalSeconds, outcome);
        }
    }
}

/// <summary>
/// Samples the size of every board's current ranking index (one ZCARD each) every
/// <see cref="Interval"/>, for <c>leaderboard.index.entries</c>. A failed sample (Redis or PostgreSQL
/// away) keeps the last values: the unavailability has meters of its own.
/// </summary>
internal sealed partial class IndexSizeSampler(BoardStore boards, BoardPeriods periods, RankingIndex index, LeaderboardMetrics metrics, ILogger<IndexSizeSampler> logger) : BackgroundService
{
    /// <summary>How often the sizes are read; Prometheus scrapes every few seconds to a minute.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        do
        {
            try
            {
                var all = (await boards.ListAsync(stoppingToken)).ToList();
                var counts = await index.CountManyAsync([.. all.Select(board => new IndexKeys(board.BoardId, periods.Current(board).Id))]);
                for (var i = 0; i < all.Count; i++)
                {
                    // An index being rebuilt has no count yet: its last value stands until it is ready.
                    if (counts[i] is { } entries)
                    {
                        metrics.IndexEntries(all[i].BoardId, entries);
                    }
                }

                metrics.KeepIndexEntriesOf(all.Select(board => board.BoardId).ToHashSet(StringComparer.Ordinal));
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // Never stop the host over a sample: Redis or PostgreSQL away, a board deleted meanwhile.
                LogSampleFailed(exception);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not sample the ranking index sizes; keeping the last values")]
    private partial void LogSampleFailed(Exception exception);
}
