namespace Leaderboard.Api.Model;

/// <summary>A period's recap as written by the recap program and passed by its faithfulness metric.</summary>
public sealed record StatsRecap(string Headline, IReadOnlyList<string> Highlights, DateTimeOffset WrittenAt);
