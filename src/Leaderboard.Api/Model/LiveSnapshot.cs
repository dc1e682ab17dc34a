namespace Leaderboard.Api.Model;

/// <summary>One event of the live stream: the current top 10 of a board.</summary>
/// <param name="BoardId">The board.</param>
/// <param name="Period">The current period.</param>
/// <param name="Entries">The top entries, best first.</param>
public sealed record LiveSnapshot(string BoardId, string Period, IReadOnlyList<ScoreEntry> Entries);
