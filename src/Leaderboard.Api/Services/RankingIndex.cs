using System.Text.Json;
using Leaderboard.Api.Model;
using StackExchange.Redis;

namespace Leaderboard.Api.Services;

/// <summary>
/// Redis: the ranking index every read uses. One sorted set per board period holds members in
/// rank order (<see cref="RankKey"/>), so every read is O(log N + page). It holds nothing that
/// PostgreSQL does not, and is rebuilt from there when missing.
/// </summary>
internal sealed class RankingIndex(IConnectionMultiplexer redis)
{
    // Replaces the player's member, unless the index already holds a later change of that player
    // (writes racing each other, or a rebuild racing a write, never go backwards). The same change
    // again (a metadata-only update keeps its place) still refreshes the metadata.
    private static readonly string ApplyScript = $$"""
        local old = redis.call('HGET', KEYS[2], ARGV[1])
        if old and string.sub(old, {{RankKey.SequenceStart}}, {{RankKey.PrefixLength}}) > string.sub(ARGV[2], {{RankKey.SequenceStart}}, {{RankKey.PrefixLength}}) then
          return redis.call('ZRANK', KEYS[1], old)
        end
        if old then redis.call('ZREM', KEYS[1], old) end
        redis.call('ZADD', KEYS[1], 0, ARGV[2])
        redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
        if ARGV[3] == '' then redis.call('HDEL', KEYS[3], ARGV[1]) else redis.call('HSET', KEYS[3], ARGV[1], ARGV[3]) end
        return redis.call('ZRANK', KEYS[1], ARGV[2])
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
    public async Task<long> ApplyAsync(IndexKeys keys, SortOrder order, ScoreRecord record)
    {
        var rank = await Database.ScriptEvaluateAsync(
            ApplyScript,
            [keys.Ranking, keys.Members, keys.Metadata],
            [record.PlayerId, RankKey.Encode(order, record), record.Metadata?.GetRawText() ?? string.Empty]);
        return (long)rank + 1;
    }

    /// <summary>Indexes many records in one round trip (used by rebuilds).</summary>
    public async Task ApplyManyAsync(IndexKeys keys, SortOrder order, IReadOnlyList<ScoreRecord> records)
    {
        var batch = Database.CreateBatch();
        var pending = records
            .Select(record => batch.ScriptEvaluateAsync(
                ApplyScript,
                [keys.Ranking, keys.Members, keys.Metadata],
                [record.PlayerId, RankKey.Encode(order, record), record.Metadata?.GetRawText() ?? string.Empty]))
            .ToList();
        batch.Execute();
        await Task.WhenAll(pending);
    }

    public Task RemoveAsync(IndexKeys keys, string playerId) =>
        Database.ScriptEvaluateAsync(RemoveScript, [keys.Ranking, keys.Members, keys.Metadata], [playerId]);

    public Task<long> CountAsync(IndexKeys keys) => Database.SortedSetLengthAsync(keys.Ranking);

    /// <summary>
    /// Up to <paramref name="limit"/> entries after <paramref name="afterMember"/> (from the top when null).
    /// Keyset paging: a page starts strictly after the last member of the previous one.
    /// </summary>
    public async Task<(IReadOnlyList<ScoreEntry> Entries, string? LastMember)> PageAsync(IndexKeys keys, SortOrder order, int limit, string? afterMember)
    {
        var members = afterMember is null
            ? await Database.SortedSetRangeByRankAsync(keys.Ranking, 0, limit - 1)
            : await Database.SortedSetRangeByValueAsync(keys.Ranking, afterMember, default, Exclude.Start, Order.Ascending, skip: 0, take: limit);
        if (members.Length == 0)
        {
            return ([], null);
        }

        var firstRank = afterMember is null ? 0 : await Database.SortedSetRankAsync(keys.Ranking, members[0]) ?? 0;
        var entries = await ToEntriesAsync(keys, order, members, firstRank);
        return (entries, members[^1]);
    }

    /// <summary>The player's entry, or null when the player has no record in this period.</summary>
    public async Task<ScoreEntry?> GetAsync(IndexKeys keys, SortOrder order, string playerId)
    {
        var entries = await QueryAsync(keys, order, [playerId]);
        return entries.Count == 0 ? null : entries[0];
    }

    /// <summary>The entries ranked <paramref name="radius"/> above and below the player, the player included; empty when unknown.</summary>
    public async Task<IReadOnlyList<ScoreEntry>> AroundAsync(IndexKeys keys, SortOrder order, string playerId, int radius)
    {
        var member = await Database.HashGetAsync(keys.Members, playerId);
        if (member.IsNull || await Database.SortedSetRankAsync(keys.Ranking, member) is not { } rank)
        {
            return [];
        }

        var first = Math.Max(0, rank - radius);
        var members = await Database.SortedSetRangeByRankAsync(keys.Ranking, first, rank + radius);
        return await ToEntriesAsync(keys, order, members, first);
    }

    /// <summary>The entries of the given players that have one, sorted by rank.</summary>
    public async Task<IReadOnlyList<ScoreEntry>> QueryAsync(IndexKeys keys, SortOrder order, IReadOnlyList<string> playerIds)
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
    }

    public async Task<bool> IsReadyAsync(IndexKeys keys) => await Database.KeyExistsAsync(keys.Ready);

    public Task MarkReadyAsync(IndexKeys keys) => Database.StringSetAsync(keys.Ready, "1");

    /// <summary>Takes the rebuild lock for <paramref name="lease"/>; false when another replica holds it.</summary>
    public Task<bool> TryLockRebuildAsync(IndexKeys keys, string owner, TimeSpan lease) =>
        Database.StringSetAsync(keys.RebuildLock, owner, lease, When.NotExists);

    public Task ReleaseRebuildAsync(IndexKeys keys, string owner) =>
        Database.ScriptEvaluateAsync("if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0", [keys.RebuildLock], [owner]);

    public Task MarkNotReadyAsync(IndexKeys keys) => Database.KeyDeleteAsync(keys.Ready);

    /// <summary>Drops the entries of a period, keeping the rebuild lock (a full rebuild starts).</summary>
    public Task DeleteIndexAsync(IndexKeys keys) => Database.KeyDeleteAsync([keys.Ranking, keys.Members, keys.Metadata, keys.Ready]);

    /// <summary>Drops everything of a period (its board was deleted).</summary>
    public Task DeleteAsync(IndexKeys keys) => Database.KeyDeleteAsync(keys.All);

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
