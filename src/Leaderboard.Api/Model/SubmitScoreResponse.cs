namespace Leaderboard.Api.Model;

/// <summary>Answer to a score submission: the player's record after it.</summary>
/// <param name="PlayerId">The player.</param>
/// <param name="Score">The stored score after the operator applied.</param>
/// <param name="Subscore">The stored subscore.</param>
/// <param name="Rank">1-based rank, or <see langword="null"/> when the ranking index is unavailable (the score is stored all the same).</param>
/// <param name="Period">The period the score went to.</param>
/// <param name="Changed">Whether this submission changed the stored record.</param>
public sealed record SubmitScoreResponse(string PlayerId, long Score, long Subscore, long? Rank, string Period, bool Changed);
