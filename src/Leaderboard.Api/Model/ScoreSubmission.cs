using System.Text.Json;

namespace Leaderboard.Api.Model;

/// <summary>
/// Body of <c>PUT /api/leaderboards/{boardId}/scores/{playerId}</c>. The score arrives as raw
/// JSON so that "1.5", "12" (a string) and a missing score each get their own clear error.
/// </summary>
/// <param name="Score">The score, a JSON integer.</param>
public sealed record ScoreSubmission(JsonElement? Score);
