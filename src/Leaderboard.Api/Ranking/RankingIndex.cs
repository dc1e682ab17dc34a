using System.Text.Json;
using Leaderboard.Api.Model;
using StackExchange.Redis;

namespace Leaderboard.Api.Ranking;

/// <summary>
/// Redis: the ranking index every read uses. One sorted set per board period holds members in
/// rank order (<see cref="RankKey"/>), so every read is O(log N + page). It holds nothing that
/// PostgreSQL does not, and is rebuilt from there when missing. Every call that fails because
/// Redis does throws <see cref="IndexUnavailableException"/>, and only that.
/// </summary>
internal sealed class RankingIndex(IConnectionMultiplexer redis)
{
    /// <summary>How many moved positions a period keeps for paging snapshots; older snapshots expire.</summary>
    public const int MovedPositionsKept = 100_000;

    // Replaces the player's member, unless the index already holds a later change of that player
    // (writes racing each other, or a rebuild racing a write, never go backwards). The same change
    // again (a metadata-only update keeps its place) still refreshes the metadata. The position a
    // record leaves is remembered with the change that moved it, so paging can read a snapshot.
    private static readonly string ApplyScript = $$"""
        local newSeq = string.sub(ARGV[2], {{RankKey.SequenceStart}}, {{RankKey.PrefixLength}})
        local old = redis.call('HGET', KEYS[2], ARGV[1])
        if old and string.sub(old, {{RankKey.SequenceStart}}, {{RankKey.PrefixLength}}) > newSeq then
          return redis.call('ZRANK', KEYS[1], old)
        end
        if old and old ~= ARGV[2] then
          redis.call('ZREM', KEYS[1], old)
          local entry = old .. '|' .. newSeq
          redis.call('ZADD', KEYS[4], 0, entry)
          redis.call('ZADD', KEYS[5], tonumber(newSeq, 16), entry)
          local excess = redis.call('ZCARD', KEYS[5]) - tonumber(ARGV[4])
          if excess > 0 then
            local dropped = redis.call('ZRANGE', KEYS[5], 0, excess - 1)
            for _, gone in ipairs(dropped) do redis.call('ZREM', KEYS[4], gone) end
            redis.call('ZREMRANGEBYRANK', KEYS[5], 0, excess - 1)
            redis.call('SET', KEYS[7], string.sub(dropped[#dropped], -16))
          end
        end
        redis.call('ZADD', KEYS[1], 0, ARGV[2])
        redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
        if ARGV[3] == '' then redis.call('HDEL', KEYS[3], ARGV[1]) else redis.call('HSET', KEYS[3], ARGV[1], ARGV[3]) end
        local latest = redis.call('GET', KEYS[6])
        if not latest or latest < newSeq then redis.call('SET', KEYS[6], newSeq) end
        return redis.call('ZRANK', KEYS[1], ARGV[2])
        """;

    // One page of the period as it stood at change <snapshot>: current members that have not
    // changed since, merged (in rank order) with the positions that records held at the snapshot
    // and have left since. Returns { snapshot, 'ok' | 'expired', entries... }.
    private static readonly string PageScript = $$"""
        local snapshot = ARGV[2]
        if snapshot == '' then snapshot = redis.call('GET', KEYS[3]) or '0000000000000000' end
        local floor = redis.call('GET', KEYS[4])
        if ARGV[2] ~= '' and floor and snapshot < floor then return { snapshot, 'expired' } end
        local limit = tonumber(ARGV[3])
        local chunk = limit + 16
        local start = '-'
        if ARGV[1] ~= '' then start = '(' .. ARGV[1] .. '­' end
        local function reader(key)
          local r = { from = start, buf = {}, i = 1, done = false }
          function r.peek()
            if r.i > #r.buf then
              if r.done then return nil end
              r.buf = redis.call('ZRANGEBYLEX', key, r.from, '+', 'LIMIT', 0, chunk)
              r.i = 1
              if #r.buf < chunk then r.done = true end
              if #r.buf == 0 then return nil end
              r.from = '(' .. r.buf[#r.buf]
            end
            return r.buf[r.i]
          end
          function r.advance() r.i = r.i + 1 end
          return r
        end
        local current, moved = reader(KEYS[1]), reader(KEYS[2])
        local out = { snapshot, 'ok' }
        while #out - 2 < limit do
          local c, m = current.peek(), moved.peek()
          if not c and not m then break end
          local fromMoved = (c == nil) or (m ~= nil and string.sub(m, 1, {{RankKey.PrefixLength}}) < string.sub(c, 1, {{RankKey.PrefixLength}}))
          local item = c
          if fromMoved then item = m; moved.advance() else current.advance() end
          if string.sub(item, {{RankKey.SequenceStart}}, {{RankKey.PrefixLength}}) <= snapshot and ((not fromMoved) or string.sub(item, -16) > snapshot) then
            table.insert(out, item)
          end
        end
        return out
        """;

    private const string RemoveScript = """
        local old = redis.call('HGET', KEYS[2], ARGV[1])
        if old then redis.call('ZREM', KEYS[1], old) end
        redis.call('HDEL', KEYS[2], ARGV[1])
        redis.call('HDEL', KEYS[3], ARGV[1])
        return old and 1 or 0
        """;

    private IDatabase Database => redis.GetDatabase();

    /// <summary>Indexes <paramref name="record"/> and returns its 1-based rank.</summary>
    public Task<long> ApplyAsync(IndexKeys keys, SortOrder order, ScoreRecord record) => CallRedisAsync(async () =>
    {
        var rank = await Database.ScriptEvaluateAsync(ApplyScript, ApplyKeys(keys), ApplyArgs(order, record));
        return (long)rank + 1;
    });

    /// <summary>Indexes many records in one round trip (used by rebuilds).</summary>
    public Task ApplyManyAsync(IndexKeys keys, SortOrder order, IReadOnlyList<ScoreRecord> records) => CallRedisAsync(() =>
    {
        var batch = Database.CreateBatch();
        var pending = records
            .Select(record => batch.ScriptEvaluateAsync(ApplyScript, ApplyKeys(keys), ApplyArgs(order, record)))
            .ToList();
        batch.Execute();
        return Task.WhenAll(pending);
    });

    public Task RemoveAsync(IndexKeys keys, string playerId) =>
        CallRedisAsync(() => Database.ScriptEvaluateAsync(RemoveScript, [keys.Ranking, keys.Members, keys.Metadata], [playerId]));

    public Task<long> CountAsync(IndexKeys keys) => CallRedisAsync(() => Database.SortedSetLengthAsync(keys.Ranking));

    /// <summary>
    /// A page of the period as it stood when the paging began: <paramref name="after"/> is null for
    /// the first page (a snapshot of now), else the position the previous page ended at. Records
    /// that change meanwhile are read where they stood, so no entry repeats or goes missing
    /// across pages. Null when the snapshot is older than the moves the index still remembers.
    /// </summary>
    public Task<IndexPage?> PageAsync(IndexKeys keys, SortOrder order, int limit, PagePosition? after) => CallRedisAsync<IndexPage?>(async () =>
    {
        var result = (RedisResult[])(await Database.ScriptEvaluateAsync(
            PageScript,
            [keys.Ranking, keys.Moved, keys.LatestChange, keys.MovedFloor],
            [after?.LastPrefix ?? string.Empty, after?.Snapshot ?? string.Empty, limit]))!;
        if ((string)result[1]! == "expired")
        {
            return null;
        }

        var snapshot = (string)result[0]!;
        var members = result.Skip(2).Select(item => ((string)item!).Split('|')[0]).ToArray();
        var firstRank = after?.LastRank ?? 0;
        var entries = await ToEntriesAsync(keys, order, [.. members.Select(member => (RedisValue)member)], firstRank);
        var last = members.Length == 0 ? null : new PagePosition(snapshot, firstRank + members.Length, members[^1][..RankKey.PrefixLength]);
        return new IndexPage(entries, last);
    });

    /// <summary>The player's entry, or null when the player has no record in this period.</summary>
    public async Task<ScoreEntry?> GetAsync(IndexKeys keys, SortOrder order, string playerId)
    {
        var entries = await QueryAsync(keys, order, [playerId]);
        return entries.Count == 0 ? null : entries[0];
    }

    /// <summary>The entries ranked <paramref name="radius"/> above and below the player, the player included; empty when unknown.</summary>
    public Task<IReadOnlyList<ScoreEntry>> AroundAsync(IndexKeys keys, SortOrder order, string playerId, int radius) => CallRedisAsync<IReadOnlyList<ScoreEntry>>(async () =>
    {
        var member = await Database.HashGetAsync(keys.Members, playerId);
        if (member.IsNull || await Database.SortedSetRankAsync(keys.Ranking, member) is not { } rank)
        {
            return [];
        }

        var first = Math.Max(0, rank - radius);
        var members = await Database.SortedSetRangeByRankAsync(keys.Ranking, first, rank + radius);
        return await ToEntriesAsync(keys, order, members, first);
    });

    /// <summary>The entries of the given players that have one, sorted by rank.</summary>
    public Task<IReadOnlyList<ScoreEntry>> QueryAsync(IndexKeys keys, SortOrder order, IReadOnlyList<string> playerIds) => CallRedisAsync<IReadOnlyList<ScoreEntry>>(async () =>
    {
        if (playerIds.Count == 0)
        {
            return [];
        }

        var members = await Database.HashGetAsync(keys.Members, [.. playerIds.Select(id => (RedisValue)id)]);
        var known = members.Where(member => !member.IsNull).Distinct().ToArray();
        var batch = Database.CreateBatch();
        var ranks = known.Select(member => batch.SortedSetRankAsync(keys.Ranking, member)).ToArray();
        var metadata = batch.HashGetAsync(keys.Metadata, [.. known.Select(member => (RedisValue)RankKey.Decode(order, member!).PlayerId)]);
        batch.Execute();
        await Task.WhenAll([.. ranks, metadata]);

        return [.. known
            .Select((member, index) => (Member: member, Rank: ranks[index].Result, Metadata: metadata.Result[index]))
            .Where(found => found.Rank is not null)
            .OrderBy(found => found.Rank)
            .Select(found => ToEntry(order, found.Member!, found.Rank!.Value, found.Metadata))];
    });

    public Task<bool> IsReadyAsync(IndexKeys keys) => CallRedisAsync(() => Database.KeyExistsAsync(keys.Ready));

    public Task MarkReadyAsync(IndexKeys keys) => CallRedisAsync(() => Database.StringSetAsync(keys.Ready, "1"));

    /// <summary>Takes the rebuild lock for <paramref name="lease"/>; false when another replica holds it.</summary>
    public Task<bool> TryLockRebuildAsync(IndexKeys keys, string owner, TimeSpan lease) =>
        CallRedisAsync(() => Database.StringSetAsync(keys.RebuildLock, owner, lease, When.NotExists));

    public Task ReleaseRebuildAsync(IndexKeys keys, string owner) =>
        CallRedisAsync(() => Database.ScriptEvaluateAsync("if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0", [keys.RebuildLock], [owner]));

    public Task MarkNotReadyAsync(IndexKeys keys) => CallRedisAsync(() => Database.KeyDeleteAsync(keys.Ready));

    /// <summary>Drops the entries of a period, keeping the rebuild lock (a full rebuild starts).</summary>
    public Task DeleteIndexAsync(IndexKeys keys) => CallRedisAsync(() => Database.KeyDeleteAsync(keys.Entries));

    /// <summary>Paging snapshots older than <paramref name="latestChange"/> expire: a rebuild forgot the moves before it.</summary>
    public Task ExpireSnapshotsThroughAsync(IndexKeys keys, long latestChange) =>
        CallRedisAsync(() => Database.StringSetAsync(keys.MovedFloor, latestChange.ToString("x16", System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>Drops everything of a period (its board was deleted).</summary>
    public Task DeleteAsync(IndexKeys keys) => CallRedisAsync(() => Database.KeyDeleteAsync(keys.All));

    /// <summary>Tells every replica that the period changed (its live feeds take a new snapshot).</summary>
    public Task AnnounceChangeAsync(IndexKeys keys) =>
        CallRedisAsync(() => redis.GetSubscriber().PublishAsync(keys.Changes, keys.BoardId));

    /// <summary>Calls <paramref name="changed"/> with the board id of every change announced by any replica.</summary>
    public Task SubscribeToChangesAsync(Action<string> changed) =>
        CallRedisAsync(() => redis.GetSubscriber().SubscribeAsync(IndexKeys.AllChanges, (_, boardId) => changed(boardId!)));

    // The one place a Redis failure becomes the domain's: above this class, callers that tolerate
    // an index outage catch IndexUnavailableException, and reads answer it with 503 + Retry-After.
    // The client fails at once while disconnected (FailFast backlog, see AddApplicationServices) and
    // throws its timeout exception, a TimeoutException, when a command gets no answer in time.
    private static async Task<T> CallRedisAsync<T>(Func<Task<T>> command)
    {
        try
        {
            return await command();
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            throw new IndexUnavailableException("The ranking index (Redis) is unavailable.", exception);
        }
    }

    private static Task CallRedisAsync(Func<Task> command) => CallRedisAsync(async () =>
    {
        await command();
        return true;
    });

    private static RedisKey[] ApplyKeys(IndexKeys keys) =>
        [keys.Ranking, keys.Members, keys.Metadata, keys.Moved, keys.MovedByChange, keys.LatestChange, keys.MovedFloor];

    private static RedisValue[] ApplyArgs(SortOrder order, ScoreRecord record) =>
        [record.PlayerId, RankKey.Encode(order, record), record.Metadata?.GetRawText() ?? string.Empty, MovedPositionsKept];

    private async Task<IReadOnlyList<ScoreEntry>> ToEntriesAsync(IndexKeys keys, SortOrder order, RedisValue[] members, long firstRank)
    {
        var playerIds = members.Select(member => (RedisValue)RankKey.Decode(order, member!).PlayerId).ToArray();
        var metadata = await Database.HashGetAsync(keys.Metadata, playerIds);
        return [.. members.Select((member, index) => ToEntry(order, member!, firstRank + index, metadata[index]))];
    }

    private static ScoreEntry ToEntry(SortOrder order, string member, long zeroBasedRank, RedisValue metadata)
    {
        var (playerId, score, subscore) = RankKey.Decode(order, member);
        JsonElement? parsed = metadata.IsNullOrEmpty ? null : JsonDocument.Parse((string)metadata!).RootElement.Clone();
        return new ScoreEntry(zeroBasedRank + 1, playerId, score, subscore, parsed);
    }
}
