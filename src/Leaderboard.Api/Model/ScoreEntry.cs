namespace Leaderboard.Api.Model;

/// <summary>One ranked entry of a leaderboard.</summary>
/// <param name="Rank">1-based position in the period; unique.</param>
/// <param name="PlayerId">The player.</param>
/// <param name="Score">The ranked score.</param>
/// <param name="Subscore">The tie-breaker.</param>
/// <param name="Metadata">The player's metadata object, or null.</param>
public sealed record ScoreEntry(long Rank, string PlayerId, long Score, long Subscore, RawJson? Metadata);
