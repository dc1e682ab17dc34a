namespace Leaderboard.Api.Model;

/// <summary>A page of a leaderboard, best first.</summary>
/// <param name="Entries">Ranked entries.</param>
/// <param name="NextCursor">Opaque cursor for the next page, or null at the end.</param>
public sealed record TopScoresResponse(IReadOnlyList<ScoreEntry> Entries, string? NextCursor);
