using System.Buffers;
using System.Globalization;
using Leaderboard.Api.Model;
using StackExchange.Redis;

namespace Leaderboard.Api.Ranking;

/// <summary>
/// Redis: the ranking index every read uses. One sorted set per board period holds members in
/// rank order (<see cref="RankKey"/>), so every read is O(log N + page); small bucket hashes find a
/// player's member (<see cref="PlayerBuckets"/>). Each read is one script, so one round trip, and
/// answers whether the index is ready in the same trip. It holds nothing that PostgreSQL does not,
/// and is rebuilt from there when missing. Every call that fails because Redis does throws
/// <see cref="IndexUnavailableException"/>, and only that; a read of an index that is not ready
/// throws <see cref="IndexNotReadyException"/>.
/// </summary>
internal sealed class RankingIndex(IConnectionMultiplexer redis)
{
    /// <summary>How many moved positions a period keeps for paging snapshots; older snapshots expire.</summary>
    public const int MovedPositionsKept = 100_000;

    private static readonly RedisValue NotReady = "notready";
    private static readonly RedisValue Expired = "expired";

    private IDatabase Database => redis.GetDatabase();

    /// <summary>
    /// Indexes <paramref name="records"/> in one round trip and returns each one's 1-based rank
    /// after it was applied; nulls while a rebuild of the period loads (the records are applied by it).
    /// </summary>
    public Task<long?[]> ApplyManyAsync(IndexKeys keys, SortOrder order, IReadOnlyList<ScoreRecord> records) =>
        CallRedisAsync(() => ApplyManyAsync(Database, keys, order, records));

    /// <summary>As <see cref="ApplyManyAsync(IndexKeys, SortOrder, IReadOnlyList{ScoreRecord})"/>, queued on <paramref name="batch"/> (a pipeline of several periods).</summary>
    public static async Task<long?[]> ApplyManyAsync(IDatabaseAsync batch, IndexKeys keys, SortOrder order, IReadOnlyList<ScoreRecord> records)
    {
        var args = new RedisValue[3 + (3 * records.Count)];
        args[0] = keys.BucketPrefix;
        args[1] = MovedPositionsKept;
        args[2] = PlayerBuckets.Load;
        for (var i = 0; i < records.Count; i++)
        {
            var record = records[i];
            args[3 + (3 * i)] = PlayerBuckets.Field(record.PlayerId);
            args[4 + (3 * i)] = RankKey.Encode(order, record);
            args[5 + (3 * i)] = record.Metadata ?? string.Empty;
        }

        var result = (RedisResult[])(await batch.ScriptEvaluateAsync(IndexScripts.Apply, WritingKeys(keys), args))!;
        var ranks = new long?[records.Count];
        if (result.Length == records.Count)
        {
            for (var i = 0; i < ranks.Length; i++)
            {
                ranks[i] = (long)result[i] + 1;
            }
        }

        return ranks;
    }

    /// <summary>The writes of one period in a batch, and whether its live feeds hear of them.</summary>
    public sealed record PeriodWrites(IndexKeys Keys, SortOrder Order, IReadOnlyList<ScoreRecord> Records, bool Announce);

    /// <summary>
    /// Indexes a batch that spans periods in one round trip (one script per period, pipelined), and
    /// announces the periods that changed; the ranks come back per period, per record.
    /// </summary>
    public Task<long?[][]> ApplyAsync(IReadOnlyList<PeriodWrites> periods) => CallRedisAsync(async () =>
    {
        var batch = Database.CreateBatch();
        var applied = periods.Select(period => ApplyManyAsync(batch, period.Keys, period.Order, period.Records)).ToArray();
        var announced = periods.Where(period => period.Announce).Select(period => batch.PublishAsync(period.Keys.Changes, period.Keys.BoardId)).ToArray();
        batch.Execute();
        await Task.WhenAll(announced);
        return await Task.WhenAll(applied);
    });

    /// <summary>Removes the player from the period; while a rebuild loads, the removal waits for it.</summary>
    public Task RemoveAsync(IndexKeys keys, string playerId) =>
        CallRedisAsync(() => Database.ScriptEvaluateAsync(IndexScripts.Remove, WritingKeys(keys), [keys.BucketPrefix, PlayerBuckets.Field(playerId), playerId]));

    /// <summary>The entry counts of the periods, in one round trip; null for a period whose index is not ready.</summary>
    public Task<long?[]> CountManyAsync(IReadOnlyList<IndexKeys> periods) => CallRedisAsync(async () =>
    {
        var batch = Database.CreateBatch();
        var counts = periods.Select(keys => batch.ScriptEvaluateAsync(IndexScripts.Count, [keys.Ranking, keys.State])).ToArray();
        batch.Execute();
        await Task.WhenAll(counts);
        return counts.Select(count => (long)count.Result).Select(count => count >= 0 ? count : (long?)null).ToArray();
    });

    /// <summary>
    /// A page of the period as it stood when the paging began: <paramref name="after"/> is null for
    /// the first page (a snapshot of now), else the position the previous page ended at. Records
    /// that change meanwhile are read where they stood, so no entry repeats or goes missing
    /// across pages. Null when the snapshot is older than the moves the index still remembers.
    /// </summary>
    public Task<IndexPage?> PageAsync(IndexKeys keys, SortOrder order, int limit, PagePosition? after) => CallRedisAsync<IndexPage?>(async () =>
    {
        var result = Ready(keys, (RedisResult[])(await Database.ScriptEvaluateAsync(
            IndexScripts.Page,
            [keys.Ranking, keys.Moved, keys.State, keys.Metadata],
            [after?.LastPrefix ?? [], after is null ? RedisValue.EmptyString : after.Snapshot, limit]))!);
        if ((RedisValue)result[0] == Expired)
        {
            return null;
        }

        var snapshot = (long)result[1];
        var count = (result.Length - 2) / 2;
        var firstRank = after?.LastRank ?? 0;
        var entries = new ScoreEntry[count];
        byte[]? last = null;
        for (var i = 0; i < count; i++)
        {
            last = (byte[])result[2 + i]!;
            entries[i] = ToEntry(order, last, firstRank + i, result[2 + count + i]);
        }

        var position = last is null ? null : new PagePosition(snapshot, firstRank + count, last[..RankKey.PrefixLength(last)]);
        return new IndexPage(entries, position);
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
        var result = Ready(keys, (RedisResult[])(await Database.ScriptEvaluateAsync(
            IndexScripts.Around,
            [keys.Ranking, keys.State, keys.Metadata],
            [keys.BucketPrefix, PlayerBuckets.Field(playerId), playerId, radius]))!);
        if (result.Length == 1)
        {
            return [];
        }

        var first = (long)result[1];
        var count = (result.Length - 2) / 2;
        var entries = new ScoreEntry[count];
        for (var i = 0; i < count; i++)
        {
            entries[i] = ToEntry(order, (byte[])result[2 + i]!, first + i, result[2 + count + i]);
        }

        return entries;
    });

    /// <summary>The entries of the given players that have one, sorted by rank.</summary>
    public Task<IReadOnlyList<ScoreEntry>> QueryAsync(IndexKeys keys, SortOrder order, IReadOnlyList<string> playerIds) => CallRedisAsync<IReadOnlyList<ScoreEntry>>(async () =>
    {
        if (playerIds.Count == 0)
        {
            return [];
        }

        var distinct = playerIds.Distinct(StringComparer.Ordinal).ToArray();
        var args = new RedisValue[1 + (2 * distinct.Length)];
        args[0] = keys.BucketPrefix;
        for (var i = 0; i < distinct.Length; i++)
        {
            args[1 + (2 * i)] = PlayerBuckets.Field(distinct[i]);
            args[2 + (2 * i)] = distinct[i];
        }

        var result = Ready(keys, (RedisResult[])(await Database.ScriptEvaluateAsync(IndexScripts.Players, [keys.Ranking, keys.State, keys.Metadata], args))!);
        var entries = new ScoreEntry[(result.Length - 1) / 3];
        for (var i = 0; i < entries.Length; i++)
        {
            entries[i] = ToEntry(order, (byte[])result[1 + (3 * i)]!, (long)result[2 + (3 * i)], result[3 + (3 * i)]);
        }

        if (entries.Length > 1)
        {
            Array.Sort(entries, static (a, b) => a.Rank.CompareTo(b.Rank));
        }

        return entries;
    });

    /// <summary>Marks a new board's current index ready and empty, unless something was written to it already.</summary>
    public Task OpenAsync(IndexKeys keys) => CallRedisAsync(() => Database.ScriptEvaluateAsync(IndexScripts.Open, [keys.Ranking, keys.State]));

    /// <summary>Takes the rebuild lock for <paramref name="lease"/>; false when another replica holds it.</summary>
    public Task<bool> TryLockRebuildAsync(IndexKeys keys, string owner, TimeSpan lease) =>
        CallRedisAsync(() => Database.StringSetAsync(keys.RebuildLock, owner, lease, When.NotExists));

    /// <summary>Extends the rebuild lock; false when it is no longer <paramref name="owner"/>'s.</summary>
    public Task<bool> RenewRebuildAsync(IndexKeys keys, string owner, TimeSpan lease) => CallRedisAsync(async () =>
        (long)await Database.ScriptEvaluateAsync(IndexScripts.RenewLock, [keys.RebuildLock], [owner, (long)lease.TotalMilliseconds]) == 1);

    public Task ReleaseRebuildAsync(IndexKeys keys, string owner) =>
        CallRedisAsync(() => Database.ScriptEvaluateAsync(IndexScripts.ReleaseLock, [keys.RebuildLock], [owner]));

    /// <summary>Drops what the period's index holds and fences its writes, for a rebuild; false when the lock is not <paramref name="owner"/>'s.</summary>
    public Task<bool> BeginRebuildAsync(IndexKeys keys, string owner) => CallRedisAsync(async () =>
        (long)await Database.ScriptEvaluateAsync(IndexScripts.BeginRebuild, [.. WritingKeys(keys), .. keys.FirstLayout], [keys.BucketPrefix, owner]) == 1);

    /// <summary>
    /// Applies the writes that waited for the rebuild, then opens the index. Returns 0 once ready,
    /// the number still waiting (call again), or -1 when the rebuild lost its lock.
    /// </summary>
    public Task<long> FinishRebuildAsync(IndexKeys keys, string owner, int level, long split, long latestChange) => CallRedisAsync(async () =>
        (long)await Database.ScriptEvaluateAsync(
            IndexScripts.FinishRebuild,
            WritingKeys(keys),
            [keys.BucketPrefix, owner, level, split, latestChange, 1000]));

    /// <summary>What a rebuild loaded: how many entries, the latest change among them, and the bucket layout it chose.</summary>
    public sealed record Loaded(long Count, long LatestChange, int Level, long Split);

    /// <summary>
    /// Loads <paramref name="records"/> into a period whose rebuild has begun (writes are fenced, so
    /// nothing else touches it): members with raw ZADD, many per call and several calls in flight;
    /// then each player bucket with one HSET of all its players, in a layout sized for the count.
    /// Only compact arrays (a hash and a prefix per entry) are kept until the buckets are written.
    /// </summary>
    public Task<Loaded> LoadAsync(IndexKeys keys, SortOrder order, IAsyncEnumerable<ScoreRecord> records, Func<Task> stillOurs, CancellationToken cancellationToken) => CallRedisAsync(async () =>
    {
        const int MembersPerCall = 2_000;
        const int CallsInFlight = 8;
        const int RecordsBetweenLeaseChecks = 200_000;
        var database = Database;
        var inFlight = new Queue<Task>();
        async Task SendAsync(Task call)
        {
            inFlight.Enqueue(call);
            if (inFlight.Count > CallsInFlight)
            {
                await inFlight.Dequeue();
            }
        }

        var fields = new List<int>();
        var prefixStarts = new List<int>();
        var prefixes = new ArrayBufferWriter<byte>();
        var members = new List<SortedSetEntry>(MembersPerCall);
        var metadata = new List<HashEntry>();
        var latest = 0L;
        await foreach (var record in records.WithCancellation(cancellationToken))
        {
            var member = RankKey.Encode(order, record);
            members.Add(new SortedSetEntry(member, 0));
            fields.Add(PlayerBuckets.Field(record.PlayerId));
            prefixStarts.Add(prefixes.WrittenCount);
            prefixes.Write(member.AsSpan(0, RankKey.PrefixLength(member)));
            latest = Math.Max(latest, record.ChangeSeq);
            if (record.Metadata is { } json)
            {
                metadata.Add(new HashEntry(record.PlayerId, json));
            }

            if (members.Count == MembersPerCall)
            {
                await SendAsync(database.SortedSetAddAsync(keys.Ranking, [.. members]));
                members.Clear();
            }

            if (metadata.Count == MembersPerCall)
            {
                await SendAsync(database.HashSetAsync(keys.Metadata, [.. metadata]));
                metadata.Clear();
            }

            if (fields.Count % RecordsBetweenLeaseChecks == 0)
            {
                await stillOurs();
            }
        }

        if (members.Count > 0)
        {
            await SendAsync(database.SortedSetAddAsync(keys.Ranking, [.. members]));
        }

        if (metadata.Count > 0)
        {
            await SendAsync(database.HashSetAsync(keys.Metadata, [.. metadata]));
        }

        // Buckets: entries sorted by (bucket, field), so each bucket is one HSET and players
        // sharing a field are neighbours, their prefixes kept together in one value.
        var count = fields.Count;
        var (level, split) = PlayerBuckets.ForCount(count);
        var places = new ulong[count];
        var entries = new int[count];
        for (var i = 0; i < count; i++)
        {
            places[i] = ((ulong)PlayerBuckets.Bucket(fields[i], level, split) << 32) | (uint)fields[i];
            entries[i] = i;
        }

        Array.Sort(places, entries);
        var written = prefixes.WrittenMemory;
        byte[] PrefixOf(int entry) => written[prefixStarts[entry]..(entry + 1 < count ? prefixStarts[entry + 1] : written.Length)].ToArray();
        var bucket = new List<HashEntry>();
        for (var start = 0; start < count;)
        {
            var bucketNumber = (long)(places[start] >> 32);
            bucket.Clear();
            var at = start;
            while (at < count && (long)(places[at] >> 32) == bucketNumber)
            {
                var field = fields[entries[at]];
                var value = PrefixOf(entries[at]);
                for (at++; at < count && places[at] == places[at - 1]; at++)
                {
                    value = [.. value, .. PrefixOf(entries[at])];
                }

                bucket.Add(new HashEntry(field, value));
            }

            await SendAsync(database.HashSetAsync(keys.BucketPrefix + bucketNumber.ToString(CultureInfo.InvariantCulture), [.. bucket]));
            start = at;
        }

        await Task.WhenAll(inFlight);
        return new Loaded(count, latest, level, split);
    });

    public Task MarkNotReadyAsync(IndexKeys keys) => CallRedisAsync(() => Database.HashDeleteAsync(keys.State, "ready"));

    /// <summary>Whether the period's index is ready (one small read; the read scripts check this themselves).</summary>
    public Task<bool> IsReadyAsync(IndexKeys keys) => CallRedisAsync(() => Database.HashExistsAsync(keys.State, "ready"));

    /// <summary>Drops everything of a period (its board was deleted).</summary>
    public Task DeleteAsync(IndexKeys keys) =>
        CallRedisAsync(() => Database.ScriptEvaluateAsync(IndexScripts.Drop, [.. WritingKeys(keys), .. keys.FirstLayout], [keys.BucketPrefix]));

    /// <summary>Calls <paramref name="changed"/> with the board id of every change announced by any replica.</summary>
    public Task SubscribeToChangesAsync(Action<string> changed) =>
        CallRedisAsync(() => redis.GetSubscriber().SubscribeAsync(IndexKeys.AllChanges, (_, boardId) => changed(boardId!)));

    /// <summary>The keys every writing script takes, in the order the scripts name them.</summary>
    public static RedisKey[] WritingKeys(IndexKeys keys) =>
        [keys.Ranking, keys.State, keys.Metadata, keys.Moved, keys.MovedByChange, keys.Pending, keys.RebuildLock];

    // The one place a Redis failure becomes the domain's: above this class, callers that tolerate
    // an index outage catch IndexUnavailableException, and reads answer it with 503 + Retry-After.
    // The client fails at once while disconnected (FailFast backlog, see AddApplicationServices) and
    // throws its timeout exception, a TimeoutException, when a command gets no answer in time.
    public static async Task<T> CallRedisAsync<T>(Func<Task<T>> command)
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

    private static RedisResult[] Ready(IndexKeys keys, RedisResult[] result) =>
        (RedisValue)result[0] == NotReady ? throw new IndexNotReadyException(keys) : result;

    private static ScoreEntry ToEntry(SortOrder order, byte[] member, long zeroBasedRank, RedisResult metadata)
    {
        var (playerId, score, subscore) = RankKey.Decode(order, member);
        return new ScoreEntry(zeroBasedRank + 1, playerId, score, subscore, metadata.IsNull ? null : RawJson.From((byte[])metadata!));
    }
}
