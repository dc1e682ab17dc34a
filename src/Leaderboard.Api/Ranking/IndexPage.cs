using Leaderboard.Api.Model;

namespace Leaderboard.Api.Ranking;

/// <summary>A page read from the index, and where the next one starts (null when it was empty).</summary>
internal sealed record IndexPage(IReadOnlyList<ScoreEntry> Entries, PagePosition? Last);
