namespace Leaderboard.Api.Model;

/// <summary>Answer to a score submission: the player's standing after it.</summary>
/// <param name="PlayerId">The player.</param>
/// <param name="Score">The player's kept (best) score.</param>
/// <param name="Rank">1-based rank, or <see langword="null"/> when the ranking index is unavailable.</param>
/// <param name="Changed">Whether this submission changed the stored score.</param>
public sealed record SubmitScoreResponse(string PlayerId, long Score, long? Rank, bool Changed);
