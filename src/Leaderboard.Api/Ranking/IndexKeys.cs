using StackExchange.Redis;

namespace Leaderboard.Api.Ranking;

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

    /// <summary>
    /// Sorted set (by member bytes) of positions that records left: <c>oldMember|newChangeSeq</c>.
    /// Paging reads a snapshot through it (see <see cref="RankingIndex.PageAsync"/>).
    /// </summary>
    public RedisKey Moved => $"{Tag}:moved";

    /// <summary>The same entries as <see cref="Moved"/>, scored by the change that moved them, for trimming.</summary>
    public RedisKey MovedByChange => $"{Tag}:moved-by-change";

    /// <summary>The latest change sequence the index holds (16 hex digits).</summary>
    public RedisKey LatestChange => $"{Tag}:latest-change";

    /// <summary>Changes up to this sequence may be missing from <see cref="Moved"/>: older paging snapshots have expired.</summary>
    public RedisKey MovedFloor => $"{Tag}:moved-floor";

    /// <summary>Present once the index holds every record of PostgreSQL; missing after a flush or restart.</summary>
    public RedisKey Ready => $"{Tag}:ready";

    /// <summary>Held by the one replica that rebuilds this index.</summary>
    public RedisKey RebuildLock => $"{Tag}:rebuilding";

    /// <summary>Pub/sub channel announcing changes of this period.</summary>
    public RedisChannel Changes => RedisChannel.Literal($"{Tag}:changes");

    /// <summary>Pattern matching the <see cref="Changes"/> channel of every board period.</summary>
    public static RedisChannel AllChanges => RedisChannel.Pattern("lb:*:changes");

    /// <summary>Everything that a rebuild replaces.</summary>
    public RedisKey[] Entries => [Ranking, Members, Metadata, Moved, MovedByChange, LatestChange, MovedFloor, Ready];

    public RedisKey[] All => [.. Entries, RebuildLock];
}
