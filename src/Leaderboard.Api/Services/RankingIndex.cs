using Leaderboard.Api.Model;
using StackExchange.Redis;

namespace Leaderboard.Api.Services;

/// <summary>
/// Redis sorted sets: the ranking index every read uses (O(log N) per read). It holds nothing
/// PostgreSQL does not, so it can always be rebuilt from there.
/// </summary>
internal sealed class RankingIndex(IConnectionMultiplexer redis)
{
    private IDatabase Database => redis.GetDatabase();

    /// <summary>Raises the player's indexed score to <paramref name="score"/> (never lowers it) and returns the 1-based rank.</summary>
    public async Task<long?> IndexBestAsync(string boardId, string playerId, long score)
    {
        var key = BoardKey(boardId);
        await Database.SortedSetAddAsync(key, playerId, score, SortedSetWhen.GreaterThan);
        var rank = await Database.SortedSetRankAsync(key, playerId, Order.Descending);
        return rank + 1;
    }

    /// <summary>The best <paramref name="limit"/> entries, best first.</summary>
    public async Task<IReadOnlyList<ScoreEntry>> TopAsync(string boardId, int limit)
    {
        var entries = await Database.SortedSetRangeByRankWithScoresAsync(BoardKey(boardId), 0, limit - 1, Order.Descending);
        return [.. entries.Select((entry, index) => new ScoreEntry(index + 1, entry.Element!, (long)entry.Score))];
    }

    private static RedisKey BoardKey(string boardId) => $"leaderboard:{{{boardId}}}:scores";
}
