namespace Leaderboard.Api.Model;

/// <summary>A player's record in one period, as PostgreSQL holds it.</summary>
/// <param name="PlayerId">The player.</param>
/// <param name="Score">The ranked score.</param>
/// <param name="Subscore">The tie-breaker, ranked in the same direction.</param>
/// <param name="ChangeSeq">Global order of changes: among equal pairs the smaller ranks first.</param>
/// <param name="Metadata">The player's metadata object as JSON text (as PostgreSQL returns it), if any.</param>
public sealed record ScoreRecord(string PlayerId, long Score, long Subscore, long ChangeSeq, string? Metadata);
