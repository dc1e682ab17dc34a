namespace Leaderboard.Api.Ranking;

/// <summary>Where a page of a paging snapshot ended: the snapshot (a change sequence), the last rank and position.</summary>
/// <param name="Snapshot">The latest change the snapshot includes.</param>
/// <param name="LastRank">The 1-based rank of the page's last entry.</param>
/// <param name="LastPrefix">The rank-ordered prefix (<see cref="RankKey.PrefixLength"/>) of the page's last entry.</param>
internal sealed record PagePosition(long Snapshot, long LastRank, byte[] LastPrefix)
{
    public bool Equals(PagePosition? other) =>
        other is not null && Snapshot == other.Snapshot && LastRank == other.LastRank && LastPrefix.AsSpan().SequenceEqual(other.LastPrefix);

    public override int GetHashCode() => HashCode.Combine(Snapshot, LastRank, LastPrefix.Length);
}
