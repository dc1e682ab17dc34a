namespace Leaderboard.Api.Ranking;

/// <summary>Where a page of a paging snapshot ended: the snapshot (a change sequence), the last rank and position.</summary>
/// <param name="Snapshot">16 hex digits: the latest change the snapshot includes.</param>
/// <param name="LastRank">The 1-based rank of the page's last entry.</param>
/// <param name="LastPrefix">The rank-ordered prefix (<see cref="RankKey.PrefixLength"/>) of the page's last entry.</param>
internal sealed record PagePosition(string Snapshot, long LastRank, string LastPrefix);
