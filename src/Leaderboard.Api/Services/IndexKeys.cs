using StackExchange.Redis;

namespace Leaderboard.Api.Services;

/// <summary>
/// The Redis keys of one board period. The hash tag <c>{board|period}</c> keeps them in one
/// cluster slot, so the Lua scripts that touch several of them work on Redis Cluster too.
/// </summary>
internal readonly record struct IndexKeys(string BoardId, string PeriodId)
{
    private string Tag => $"lb:{{{BoardId}|{PeriodId}}}";

    /// <summary>Sorted set of rank-ordered members (see <see cref="RankKey"/>).</summary>
    public RedisKey Ranking => $"{Tag}:ranking";

    /// <summary>Hash: player id to that player's current member.</summary>
    public RedisKey Members => $"{Tag}:members";

    /// <summary>Hash: player id to metadata JSON.</summary>
    public RedisKey Metadata => $"{Tag}:metadata";

    /// <summary>Present once the index holds every record of PostgreSQL; missing after a flush or restart.</summary>
    public RedisKey Ready => $"{Tag}:ready";

    /// <summary>Held by the one replica that rebuilds this index.</summary>
    public RedisKey RebuildLock => $"{Tag}:rebuilding";

    /// <summary>Pub/sub channel announcing changes of this period.</summary>
    public RedisChannel Changes => RedisChannel.Literal($"{Tag}:changes");

    public RedisKey[] All => [Ranking, Members, Metadata, Ready, RebuildLock];
}
