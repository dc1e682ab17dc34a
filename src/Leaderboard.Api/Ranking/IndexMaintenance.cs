using System.Collections.Concurrent;
using Leaderboard.Api.Data;
using Leaderboard.Api.Model;
using Leaderboard.Api.Telemetry;

namespace Leaderboard.Api.Ranking;

/// <summary>
/// Keeps each period's Redis index equal to PostgreSQL. A period whose index is not marked ready
/// (Redis flushed or restarted, or a write that could not be indexed) is rebuilt from PostgreSQL
/// by one replica, under a lock; meanwhile reads answer 503 with Retry-After.
/// </summary>
internal sealed partial class IndexMaintenance(RankingIndex index, ScoreStore scores, LeaderboardMetrics metrics, ILogger<IndexMaintenance> logger)
{
    private const int RebuildBatchSize = 1000;
    private static readonly TimeSpan RebuildLease = TimeSpan.FromMinutes(2);
    private readonly string _owner = Guid.NewGuid().ToString("N");

    // Periods whose index missed a write while Redis was away: marked not ready once Redis answers.
    private readonly ConcurrentDictionary<IndexKeys, byte> _missedWrites = new();

    /// <summary>Makes sure the period's index is complete before a read.</summary>
    /// <exception cref="IndexUnavailableException">Redis is down, or another replica is rebuilding.</exception>
    public async Task EnsureReadyAsync(Board board, string periodId, CancellationToken cancellationToken)
    {
        if (await index.IsReadyAsync(new IndexKeys(board.BoardId, periodId)))
        {
            return;
        }

        if (!await RebuildAsync(board, periodId, cancellationToken))
        {
            throw new IndexUnavailableException($"The index of board '{board.BoardId}' is being rebuilt from PostgreSQL.");
        }
    }

    /// <summary>
    /// Rebuilds the period's index from PostgreSQL. Returns false when another replica holds the
    /// rebuild lock. Writes that race the rebuild are safe: the index never takes an older change.
    /// </summary>
    /// <exception cref="IndexUnavailableException">Redis is down.</exception>
    public async Task<bool> RebuildAsync(Board board, string periodId, CancellationToken cancellationToken)
    {
        var keys = new IndexKeys(board.BoardId, periodId);
        if (!await index.TryLockRebuildAsync(keys, _owner, RebuildLease))
        {
            return false;
        }

        using var rebuild = metrics.StartRebuild(board.BoardId);
        try
        {
            LogRebuilding(board.BoardId, periodId);
            await index.DeleteIndexAsync(keys);
            var count = 0;
            var latestChange = 0L;
            var batch = new List<ScoreRecord>(RebuildBatchSize);
            await foreach (var record in scores.ReadPeriodAsync(board.BoardId, periodId, cancellationToken))
            {
                latestChange = Math.Max(latestChange, record.ChangeSeq);
                batch.Add(record);
                if (batch.Count == RebuildBatchSize)
                {
                    await index.ApplyManyAsync(keys, board.SortOrder, batch);
                    count += batch.Count;
                    batch.Clear();
                }
            }

            await index.ApplyManyAsync(keys, board.SortOrder, batch);
            await index.ExpireSnapshotsThroughAsync(keys, latestChange);
            await index.MarkReadyAsync(keys);
            LogRebuilt(board.BoardId, periodId, count + batch.Count);
            rebuild.Succeeded(count + batch.Count);
            return true;
        }
        finally
        {
            await index.ReleaseRebuildAsync(keys, _owner);
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
    private partial void LogRebuilt(string boardId, string periodId, int count);
}
