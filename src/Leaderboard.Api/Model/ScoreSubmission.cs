using System.Text.Json;

namespace Leaderboard.Api.Model;

/// <summary>
/// Body of <c>PUT /api/leaderboards/{boardId}/scores/{playerId}</c>. Numbers arrive as raw JSON
/// so that 1.5, "12" and a missing score each get their own clear error.
/// </summary>
/// <param name="Score">The score, a JSON integer within ±(2^53 − 1).</param>
/// <param name="Subscore">Optional tie-breaker (default 0), same range.</param>
/// <param name="Metadata">Optional JSON object, at most 2 KB, shown with the entry.</param>
public sealed record ScoreSubmission(JsonElement? Score, JsonElement? Subscore, JsonElement? Metadata);
