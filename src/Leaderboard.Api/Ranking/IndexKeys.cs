using StackExchange.Redis;

namespace Leaderboard.Api.Ranking;

/// <summary>
/// The Redis keys of one board period. The hash tag <c>{board|period}</c> keeps them in one
/// cluster slot, so the Lua scripts that touch several of them work on Redis Cluster too. Keys
/// carry the layout's version: an index written by an older layout is simply not ready under the
/// new names, and is rebuilt from PostgreSQL (which also removes the old keys).
/// </summary>
internal readonly record struct IndexKeys(string BoardId, string PeriodId)
{
    /// <summary>The key layout; bump it whenever members, buckets or state change shape.</summary>
    public const string Layout = "2";

    private string Tag => $"lb:{{{BoardId}|{PeriodId}}}";

    /// <summary>Sorted set of rank-ordered members (see <see cref="RankKey"/>), all of score 0.</summary>
    public RedisKey Ranking => $"{Tag}:{Layout}:rank";

    /// <summary>
    /// Hash: <c>ready</c> (present once the index holds every record of PostgreSQL; gone after a
    /// flush or restart), <c>building</c> (the rebuild's owner while one loads), <c>latest</c>
    /// (the latest change held), <c>floor</c> (paging snapshots before it have expired),
    /// <c>level</c> and <c>split</c> (how many player buckets there are, see <see cref="PlayerBuckets"/>).
    /// </summary>
    public RedisKey State => $"{Tag}:{Layout}:state";

    /// <summary>Hash: player id to metadata JSON, for players that have metadata.</summary>
    public RedisKey Metadata => $"{Tag}:{Layout}:metadata";

    /// <summary>
    /// Sorted set (by member bytes) of positions that records left: <c>oldMember NUL movedAtChange</c>.
    /// Paging reads a snapshot through it (see <see cref="RankingIndex.PageAsync"/>).
    /// </summary>
    public RedisKey Moved => $"{Tag}:{Layout}:moved";

    /// <summary>The same entries as <see cref="Moved"/>, scored by the change that moved them, for trimming.</summary>
    public RedisKey MovedByChange => $"{Tag}:{Layout}:moved-by-change";

    /// <summary>List of index writes made while a rebuild loads, applied by the rebuild once it has loaded.</summary>
    public RedisKey Pending => $"{Tag}:{Layout}:pending";

    /// <summary>Player buckets are this prefix plus their number (see <see cref="PlayerBuckets"/>).</summary>
    public string BucketPrefix => $"{Tag}:{Layout}:players:";

    /// <summary>Held by the one replica that rebuilds this index.</summary>
    public RedisKey RebuildLock => $"{Tag}:rebuilding";

    /// <summary>Pub/sub channel announcing changes of this period.</summary>
    public RedisChannel Changes => RedisChannel.Literal($"{Tag}:changes");

    /// <summary>Pattern matching the <see cref="Changes"/> channel of every board period.</summary>
    public static RedisChannel AllChanges => RedisChannel.Pattern("lb:*:changes");

    /// <summary>The keys of the first layout (one hash from player to member, hex members), removed by a rebuild.</summary>
    public RedisKey[] FirstLayout =>
        [$"{Tag}:ranking", $"{Tag}:members", $"{Tag}:metadata", $"{Tag}:moved", $"{Tag}:moved-by-change", $"{Tag}:latest-change", $"{Tag}:moved-floor", $"{Tag}:ready"];
}
