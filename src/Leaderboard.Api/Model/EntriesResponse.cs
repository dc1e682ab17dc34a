namespace Leaderboard.Api.Model;

/// <summary>A set of ranked entries (around a player, or a friends list), sorted by rank.</summary>
/// <param name="Entries">Ranked entries.</param>
public sealed record EntriesResponse(IReadOnlyList<ScoreEntry> Entries);
