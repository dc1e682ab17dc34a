using System.Collections.Concurrent;
using System.Threading.Channels;
using Leaderboard.Api.Model;
using Leaderboard.Api.Telemetry;

namespace Leaderboard.Api.Ranking;

/// <summary>
/// Live top-10 feeds. Every indexed change is announced on a Redis channel (in the same round trip
/// that indexes it, see <see cref="RankingIndex.ApplyAsync"/>), so every replica
/// hears every change (fan-out through pub/sub). A replica with watchers of that board takes a
/// fresh snapshot at most every 100 ms (so at most 10 events a second per board, coalescing
/// bursts) and sends it to each watcher when it differs from the last one. The 100 ms are measured
/// on the <see cref="WallClock"/>.
/// </summary>
internal sealed partial class LiveBoards(
    RankingIndex index,
    LeaderboardReader reader,
    LeaderboardMetrics metrics,
    [FromKeyedServices(WallClock.Key)] TimeProvider wallClock,
    ILogger<LiveBoards> logger) : IHostedService
{
    public const int TopSize = 10;
    private static readonly TimeSpan MinimumInterval = TimeSpan.FromMilliseconds(100);

    private readonly TimeProvider _wallClock = wallClock;
    private readonly ConcurrentDictionary<string, BoardFeed> _feeds = new();
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>Snapshots of <paramref name="boardId"/>: the current one at once, then each change; null when there is no such board.</summary>
    public async Task<IAsyncEnumerable<LiveSnapshot>?> WatchAsync(string boardId, CancellationToken cancellationToken)
    {
        var (target, _) = await reader.ResolveAsync(boardId, periodId: null, cancellationToken);
        return target is null ? null : StreamAsync(boardId, cancellationToken);
    }

    private async IAsyncEnumerable<LiveSnapshot> StreamAsync(string boardId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var watcher = Channel.CreateBounded<LiveSnapshot>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest });
        var feed = _feeds.GetOrAdd(boardId, id => new BoardFeed(id, this));
        feed.Add(watcher);
        metrics.WatcherJoined();
        try
        {
            // The newcomer's first snapshot is its own: the others have seen it already. A change
            // broadcast meanwhile is older or equal, and the one-slot channel keeps only the newest.
            if (await SnapshotAsync(boardId) is { } current)
            {
                watcher.Writer.TryWrite(current);
            }

            // A change announced before this watcher came can be heard after its first snapshot was
            // taken: the feed then broadcasts the same top again, which this watcher has had.
            string? lastYielded = null;
            await foreach (var snapshot in watcher.Reader.ReadAllAsync(cancellationToken))
            {
                var serialized = System.Text.Json.JsonSerializer.Serialize(snapshot, System.Text.Json.JsonSerializerOptions.Web);
                if (serialized == lastYielded)
                {
                    continue;
                }

                lastYielded = serialized;
                yield return snapshot;
            }
        }
        finally
        {
            feed.Remove(watcher);
            metrics.WatcherLeft();
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Subscribe in the background: the service starts (and takes durable writes) while Redis is
        // away, and a subscription that never got through is not restored by the client.
        _ = Task.Run(SubscribeUntilDoneAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task SubscribeUntilDoneAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                await index.SubscribeToChangesAsync(boardId =>
                {
                    if (_feeds.TryGetValue(boardId, out var feed))
                    {
                        feed.Signal();
                    }
                });
                return;
            }
            catch (IndexUnavailableException exception)
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

    public Task StopAsync(CancellationToken cancellationToken) => _stopping.CancelAsync();

    private async Task<LiveSnapshot?> SnapshotAsync(string boardId)
    {
        var (target, _) = await reader.ResolveAsync(boardId, periodId: null, _stopping.Token);
        if (target is null)
        {
            return null; // the board was deleted
        }

        var page = await reader.PageAsync(target, TopSize, after: null, _stopping.Token);
        return new LiveSnapshot(target.Board.BoardId, target.PeriodId, page?.Entries ?? []);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not subscribe to board changes yet; retrying until Redis answers")]
    private partial void LogSubscribeFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Live snapshot of board {BoardId} failed")]
    private partial void LogSnapshotFailed(Exception exception, string boardId);

    /// <summary>The watchers of one board on this replica, and its coalescing snapshot loop.</summary>
    private sealed class BoardFeed
    {
        private readonly string _boardId;
        private readonly LiveBoards _owner;
        private readonly Channel<bool> _signals = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
        private readonly List<Channel<LiveSnapshot>> _watchers = [];
        private string? _lastSent;

        public BoardFeed(string boardId, LiveBoards owner)
        {
            _boardId = boardId;
            _owner = owner;
            _ = Task.Run(RunAsync);
        }

        public void Signal() => _signals.Writer.TryWrite(true);

        public void Add(Channel<LiveSnapshot> watcher)
        {
            lock (_watchers)
            {
                _watchers.Add(watcher);
            }
        }

        public void Remove(Channel<LiveSnapshot> watcher)
        {
            lock (_watchers)
            {
                _watchers.Remove(watcher);
            }
        }

        private async Task RunAsync()
        {
            var stopping = _owner._stopping.Token;
            try
            {
                await foreach (var _ in _signals.Reader.ReadAllAsync(stopping))
                {
                    await PublishSnapshotAsync();
                    await Task.Delay(MinimumInterval, _owner._wallClock, stopping);
                }
            }
            catch (OperationCanceledException)
            {
                // The service is stopping.
            }
        }

        private async Task PublishSnapshotAsync()
        {
            LiveSnapshot? snapshot;
            try
            {
                snapshot = await _owner.SnapshotAsync(_boardId);
            }
            catch (Exception exception) when (exception is IndexUnavailableException or Npgsql.NpgsqlException)
            {
                _owner.LogSnapshotFailed(exception, _boardId);
                return;
            }

            if (snapshot is null)
            {
                return;
            }

            var serialized = System.Text.Json.JsonSerializer.Serialize(snapshot, System.Text.Json.JsonSerializerOptions.Web);
            lock (_watchers)
            {
                if (serialized == _lastSent)
                {
                    return;
                }

                _lastSent = serialized;
                foreach (var watcher in _watchers)
                {
                    watcher.Writer.TryWrite(snapshot);
                }
            }
        }
    }
}
