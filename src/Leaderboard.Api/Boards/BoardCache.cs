using System.Collections.Concurrent;
using Leaderboard.Api.Data;
using Leaderboard.Api.Http;
using Leaderboard.Api.Model;
using Npgsql;
using StackExchange.Redis;

namespace Leaderboard.Api.Boards;

/// <summary>
/// Boards served from memory, so reads and writes do not ask PostgreSQL for the board's rules each
/// time. A replica that saves or deletes a board drops its entry at once and tells the others over
/// Redis pub/sub (<see cref="Channel"/>); each entry is also reloaded once it is
/// <see cref="Freshness"/> old, and every entry is dropped when the Redis connection comes back (the
/// messages sent meanwhile were lost). While PostgreSQL is away, a known board is served as last
/// loaded. Archived periods that exist are remembered too (a period never comes back once deleted
/// with its board, and the board's drop forgets them).
/// </summary>
internal sealed partial class BoardCache(BoardStore store, IConnectionMultiplexer redis, ILogger<BoardCache> logger) : IHostedService
{
    /// <summary>The safety net behind the messages: how old an entry may grow before it is loaded again.</summary>
    public static readonly TimeSpan Freshness = TimeSpan.FromSeconds(10);

    /// <summary>Carries the id of each board saved or deleted, to every replica.</summary>
    public static readonly RedisChannel Channel = RedisChannel.Literal("lb:boards:changed");

    private readonly ConcurrentDictionary<string, Entry> _boards = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string BoardId, string PeriodId), bool> _periods = new();
    private readonly CancellationTokenSource _stopping = new();
    private long _generation;

    private sealed record Entry(Board Board, long LoadedAt);

    /// <summary>The board, from memory when fresh, else from PostgreSQL; null when there is none.</summary>
    public async ValueTask<Board?> GetAsync(string boardId, CancellationToken cancellationToken)
    {
        // Wall-clock time, not the business clock (which tests may hold still).
        var now = Environment.TickCount64;
        var known = _boards.TryGetValue(boardId, out var entry) ? entry : null;
        if (known is not null && now - known.LoadedAt < Freshness.TotalMilliseconds)
        {
            return known.Board;
        }

        var generation = Interlocked.Read(ref _generation);
        Board? board;
        try
        {
            board = await store.GetAsync(boardId, cancellationToken);
        }
        catch (NpgsqlException exception) when (known is not null && DatabaseUnavailableExceptionHandler.IsUnavailable(exception))
        {
            return known.Board;
        }

        // A change announced while this load ran may be newer than what it read: then it is not kept.
        if (board is null)
        {
            _boards.TryRemove(boardId, out _);
        }
        else if (Interlocked.Read(ref _generation) == generation)
        {
            _boards[boardId] = new Entry(board, now);
        }

        return board;
    }

    /// <summary>Whether the board has a stored period with this id (an archived read target).</summary>
    public async ValueTask<bool> PeriodExistsAsync(string boardId, string periodId, CancellationToken cancellationToken)
    {
        if (_periods.ContainsKey((boardId, periodId)))
        {
            return true;
        }

        if (!await store.PeriodExistsAsync(boardId, periodId, cancellationToken))
        {
            return false;
        }

        _periods[(boardId, periodId)] = true;
        return true;
    }

    /// <summary>The board was saved or deleted here: drop it here now, and on every replica through Redis.</summary>
    public async Task ChangedAsync(string boardId)
    {
        Forget(boardId);
        try
        {
            await redis.GetSubscriber().PublishAsync(Channel, boardId);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            // The others reload it within Freshness all the same.
            LogPublishFailed(exception, boardId);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        redis.ConnectionRestored += (_, _) => ForgetAll();
        // Subscribe in the background: the service starts while Redis is away, and a subscription
        // that never got through is not restored by the client.
        _ = Task.Run(SubscribeUntilDoneAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => _stopping.CancelAsync();

    private async Task SubscribeUntilDoneAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                await redis.GetSubscriber().SubscribeAsync(Channel, (_, boardId) => Forget(boardId!));
                ForgetAll(); // anything announced before the subscription was missed
                return;
            }
            catch (Exception exception) when (exception is RedisException or TimeoutException)
            {
                LogSubscribeFailed(exception);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(2), _stopping.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private void Forget(string boardId)
    {
        Interlocked.Increment(ref _generation);
        _boards.TryRemove(boardId, out _);
        foreach (var period in _periods.Keys.Where(key => key.BoardId == boardId))
        {
            _periods.TryRemove(period, out _);
        }
    }

    private void ForgetAll()
    {
        Interlocked.Increment(ref _generation);
        _boards.Clear();
        _periods.Clear();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not tell the other replicas that board {BoardId} changed; they reload it within seconds")]
    private partial void LogPublishFailed(Exception exception, string boardId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not subscribe to board changes yet; retrying until Redis answers")]
    private partial void LogSubscribeFailed(Exception exception);
}
