namespace Leaderboard.Api.Model;

/// <summary>The top of a leaderboard, best first.</summary>
/// <param name="Entries">Ranked entries.</param>
public sealed record TopScoresResponse(IReadOnlyList<ScoreEntry> Entries);
