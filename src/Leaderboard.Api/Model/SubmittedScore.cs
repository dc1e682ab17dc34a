using System.Text.Json;

namespace Leaderboard.Api.Model;

/// <summary>A score as a game server submitted it, once the request is valid: what the board's operator combines with the stored record.</summary>
/// <param name="PlayerId">The player.</param>
/// <param name="Score">The submitted score, within ±(2^53 − 1).</param>
/// <param name="Subscore">The submitted tie-breaker (0 when none was sent).</param>
/// <param name="Metadata">The metadata object to keep with the record, or null to keep the stored one.</param>
public sealed record SubmittedScore(string PlayerId, long Score, long Subscore, JsonElement? Metadata);
