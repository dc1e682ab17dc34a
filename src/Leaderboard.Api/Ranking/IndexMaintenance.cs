using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using Leaderboard.Api.Data;
using Leaderboard.Api.Model;
using Leaderboard.Api.Telemetry;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Leaderboard.Api.Ranking;

/// <summary>
/// Keeps each period's Redis index equal to PostgreSQL. A period whose index is not ready (Redis
/// flushed or restarted, a write that could not be indexed, a new period) is rebuilt from
/// PostgreSQL in the background, by one replica under a lock, a few periods at a time per replica.
/// A read that finds its index not ready starts (or joins) that rebuild and waits for it no longer
/// than <c>Leaderboard:ColdReadBudget</c>; another replica's rebuild is not waited for at all.
/// </summary>
internal sealed partial class IndexMaintenance(RankingIndex index, ScoreStore scores, IOptions<IndexMaintenance.Settings> settings, LeaderboardMetrics metrics, ILogger<IndexMaintenance> logger)
{
    private static readonly TimeSpan RebuildLease = TimeSpan.FromMinutes(2);
    private readonly string _owner = Guid.NewGuid().ToString("N");
    private readonly Dictionary<IndexKeys, Task<bool>> _running = [];
    private readonly SemaphoreSlim _slots = new(settings.Value.ConcurrentRebuilds);

    // Periods whose index missed a write while Redis was away: marked not ready once Redis answers.
    private readonly ConcurrentDictionary<IndexKeys, byte> _missedWrites = new();

    /// <summary>Bound from the <c>Leaderboard</c> section.</summary>
    public sealed class Settings
    {
        public const string Section = "Leaderboard";

        /// <summary>How long a read waits for a rebuild it started before answering 503 with Retry-After.</summary>
        [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
        public TimeSpan ColdReadBudget { get; set; } = TimeSpan.FromSeconds(1);

        /// <summary>How many periods one replica rebuilds at once; more wait their turn.</summary>
        [Range(1, 64)]
        public int ConcurrentRebuilds { get; set; } = 2;
    }

    /// <summary>What a rebuild came to.</summary>
    public enum Outcome
    {
        /// <summary>The index was rebuilt from PostgreSQL.</summary>
        Rebuilt,

        /// <summary>It was ready by the time the lock was taken (another rebuild had just finished).</summary>
        AlreadyReady,

        /// <summary>Another replica holds the rebuild lock, or this one lost it.</summary>
        Busy,
    }

    /// <summary>
    /// Starts the period's rebuild in the background, or joins the one this replica runs already.
    /// The task says whether the index is ready at its end; it never throws.
    /// </summary>
    public Task<bool> StartRebuild(Board board, string periodId)
    {
        var keys = new IndexKeys(board.BoardId, periodId);
        lock (_running)
        {
            if (_running.TryGetValue(keys, out var running))
            {
                return running;
            }

            running = Task.Run(() => RebuildInBackgroundAsync(board, periodId));
            _running[keys] = running;
            running.ContinueWith(_ => { lock (_running) { _running.Remove(keys); } }, TaskScheduler.Default);
            return running;
        }
    }

    /// <summary>Starts or joins the period's rebuild and waits for it within the cold-read budget; true when the index is ready.</summary>
    public async Task<bool> WaitForRebuildAsync(Board board, string periodId, CancellationToken cancellationToken)
    {
        var rebuild = StartRebuild(board, periodId);
        // Wall-clock time, not the business clock (which tests may hold still).
        var budget = Task.Delay(settings.Value.ColdReadBudget, TimeProvider.System, cancellationToken);
        return await Task.WhenAny(rebuild, budget) == rebuild && await rebuild;
    }

    /// <summary>
    /// Rebuilds the period's index from PostgreSQL now, whether or not it is ready (the admin
    /// endpoint). Writes that race the rebuild wait in Redis for it and are applied after the load.
    /// </summary>
    /// <exception cref="IndexUnavailableException">Redis is down.</exception>
    public Task<Outcome> RebuildAsync(Board board, string periodId, CancellationToken cancellationToken) =>
        RebuildAsync(board, periodId, force: true, cancellationToken);

    private async Task<bool> RebuildInBackgroundAsync(Board board, string periodId)
    {
        await _slots.WaitAsync();
        try
        {
            return await RebuildAsync(board, periodId, force: false, CancellationToken.None) is Outcome.Rebuilt or Outcome.AlreadyReady;
        }
        catch (Exception exception) when (exception is IndexUnavailableException or NpgsqlException)
        {
            LogRebuildFailed(exception, board.BoardId, periodId);
            return false;
        }
        finally
        {
            _slots.Release();
        }
    }

    private async Task<Outcome> RebuildAsync(Board board, string periodId, bool force, CancellationToken cancellationToken)
    {
        var keys = new IndexKeys(board.BoardId, periodId);
        if (!await index.TryLockRebuildAsync(keys, _owner, RebuildLease))
        {
            return Outcome.Busy;
        }

        try
        {
            // A rebuild that finished just before this lock was taken leaves nothing to do.
            if (!force && await index.IsReadyAsync(keys))
            {
                return Outcome.AlreadyReady;
            }

            LogRebuilding(board.BoardId, periodId);
            // Drop and fence first, then read PostgreSQL: a write missing from the read committed
            // after the fence went up, so it waits in Redis and is applied after the load.
            if (!await index.BeginRebuildAsync(keys, _owner))
            {
                return Outcome.Busy;
            }

            using var rebuild = metrics.StartRebuild(board.BoardId);

            var loaded = await index.LoadAsync(keys, board.SortOrder, scores.ExportPeriodAsync(board.BoardId, periodId, cancellationToken), () => KeepLockAsync(keys), cancellationToken);
            long waiting;
            do
            {
                waiting = await index.FinishRebuildAsync(keys, _owner, loaded.Level, loaded.Split, loaded.LatestChange);
            }
            while (waiting > 0);

            if (waiting < 0)
            {
                return Outcome.Busy;
            }

            LogRebuilt(board.BoardId, periodId, loaded.Count);
            rebuild.Succeeded(loaded.Count);
            return Outcome.Rebuilt;
        }
        finally
        {
            await index.ReleaseRebuildAsync(keys, _owner);
        }
    }

    private async Task KeepLockAsync(IndexKeys keys)
    {
        if (!await index.RenewRebuildAsync(keys, _owner, RebuildLease))
        {
            throw new IndexUnavailableException($"The rebuild of board '{keys.BoardId}' lost its lock.");
        }
    }

    /// <summary>Notes that a durable write was not indexed; <see cref="RepairMissedWritesAsync"/> deals with it.</summary>
    public void RecordMissedWrite(string boardId, string periodId) => _missedWrites.TryAdd(new IndexKeys(boardId, periodId), 0);

    /// <summary>Marks every period that missed a write as not ready, once Redis answers again.</summary>
    public async Task RepairMissedWritesAsync()
    {
        foreach (var keys in _missedWrites.Keys)
        {
            try
            {
                await index.MarkNotReadyAsync(keys);
                _missedWrites.TryRemove(keys, out _);
            }
            catch (IndexUnavailableException)
            {
                return; // still away; try again on the next round
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Rebuilding the ranking index of board {BoardId}, period {PeriodId}, from PostgreSQL")]
    private partial void LogRebuilding(string boardId, string periodId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Rebuilt the ranking index of board {BoardId}, period {PeriodId}: {Count} entries")]
    private partial void LogRebuilt(string boardId, string periodId, long count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rebuilding the ranking index of board {BoardId}, period {PeriodId} failed; the next read tries again")]
    private partial void LogRebuildFailed(Exception exception, string boardId, string periodId);
}
