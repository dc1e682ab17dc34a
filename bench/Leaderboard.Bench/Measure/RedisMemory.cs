using System.Globalization;
using StackExchange.Redis;

namespace Leaderboard.Bench.Measure;

/// <summary>Redis' own account of its memory (INFO memory, used_memory: allocator-sized bytes).</summary>
internal static class RedisMemory
{
    public static async Task<long> UsedBytesAsync(IServer server)
    {
        var info = await server.InfoAsync("memory");
        var used = info.SelectMany(group => group).First(pair => pair.Key == "used_memory").Value;
        return long.Parse(used, CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The sorted set of a board period's index: whatever its key layout, the one zset under the
    /// period's hash tag that holds every entry.
    /// </summary>
    public static async Task<RedisKey> RankingKeyAsync(IConnectionMultiplexer redis, string boardId, long entries)
    {
        var server = redis.GetServers()[0];
        var database = redis.GetDatabase();
        await foreach (var key in server.KeysAsync(pattern: $"lb:{{{boardId}|all-time}}*", pageSize: 1000))
        {
            if (await database.KeyTypeAsync(key) == RedisType.SortedSet && await database.SortedSetLengthAsync(key) >= entries)
            {
                return key;
            }
        }

        throw new InvalidOperationException($"No sorted set of {entries} entries under lb:{{{boardId}|all-time}}.");
    }

    /// <summary>
    /// Bytes per member of a plain sorted set holding exactly the members (and scores) of
    /// <paramref name="source"/>, written with raw ZADD into a scratch key and deleted after.
    /// </summary>
    public static async Task<double> RawSortedSetBytesPerMemberAsync(IConnectionMultiplexer redis, RedisKey source)
    {
        var server = redis.GetServers()[0];
        var database = redis.GetDatabase();
        RedisKey scratch = $"bench:raw-zadd:{Guid.NewGuid():N}";
        var length = await database.SortedSetLengthAsync(source);
        var before = await UsedBytesAsync(server);
        const int chunk = 10_000;
        for (long start = 0; start < length; start += chunk)
        {
            var members = await database.SortedSetRangeByRankWithScoresAsync(source, start, start + chunk - 1);
            await database.SortedSetAddAsync(scratch, members);
        }

        var after = await UsedBytesAsync(server);
        await database.KeyDeleteAsync(scratch);
        return (after - before) / (double)length;
    }
}
