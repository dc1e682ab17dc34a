namespace Leaderboard.Api.Ranking;

/// <summary>
/// Where the index finds a player's member: small Redis hashes ("buckets") that map a 32-bit hash
/// of the player id to the member's prefix (<see cref="RankKey"/>). Small hashes are stored as
/// listpacks, a few bytes per field, so the map costs a fraction of the sorted set. A hash shared
/// by two players holds both prefixes; the sorted set tells which is whose (prefix + id is a member).
/// Buckets grow by linear hashing: there are 2^level + split of them, and each new player past
/// <see cref="Load"/> per bucket splits the next bucket in turn, so no bucket outgrows a listpack.
/// The same arithmetic runs in the index's Lua scripts.
/// </summary>
internal static class PlayerBuckets
{
    /// <summary>Average players per bucket: splitting keeps the fullest (twice this) under Redis' 128-entry listpack limit.</summary>
    public const int Load = 48;

    /// <summary>The hash field of a player: FNV-1a of the id's bytes, mixed (murmur3's finaliser) so the low bits pick buckets evenly.</summary>
    public static int Field(string playerId)
    {
        var hash = 2166136261u;
        foreach (var character in playerId)
        {
            hash = (hash ^ character) * 16777619u;
        }

        hash ^= hash >> 16;
        hash *= 0x85ebca6bu;
        hash ^= hash >> 13;
        hash *= 0xc2b2ae35u;
        hash ^= hash >> 16;
        return unchecked((int)hash);
    }

    /// <summary>The layout a rebuild of <paramref name="entries"/> players starts with: <see cref="Load"/> per bucket on average.</summary>
    public static (int Level, long Split) ForCount(long entries)
    {
        var buckets = Math.Max(1, (entries + Load - 1) / Load);
        var level = 63 - (int)long.LeadingZeroCount(buckets);
        return (level, buckets - (1L << level));
    }

    /// <summary>The bucket that holds <paramref name="field"/> when there are 2^<paramref name="level"/> + <paramref name="split"/> buckets.</summary>
    public static long Bucket(int field, int level, long split)
    {
        var hash = (ulong)(uint)field;
        var bucket = (long)(hash % (1UL << level));
        return bucket < split ? (long)(hash % (1UL << (level + 1))) : bucket;
    }
}
