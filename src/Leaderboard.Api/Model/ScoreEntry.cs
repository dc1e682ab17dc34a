namespace Leaderboard.Api.Model;

/// <summary>One ranked entry of a leaderboard.</summary>
/// <param name="Rank">1-based position on the board.</param>
/// <param name="PlayerId">The player.</param>
/// <param name="Score">The player's ranked score.</param>
public sealed record ScoreEntry(long Rank, string PlayerId, long Score);
