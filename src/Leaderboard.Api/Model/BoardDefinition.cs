using System.Text.Json;

namespace Leaderboard.Api.Model;

/// <summary>Body of <c>PUT /api/leaderboards/{boardId}</c>: how a board ranks and resets.</summary>
/// <param name="SortOrder">Which end ranks first; default descending.</param>
/// <param name="Operator">How submissions combine; default best.</param>
/// <param name="ResetSchedule">A cron expression (UTC, 5 fields) starting a new period at each tick, or null for one everlasting period.</param>
/// <param name="MinScore">Smallest accepted submitted score, or null.</param>
/// <param name="MaxScore">Largest accepted submitted score, or null.</param>
/// <param name="Metadata">Free-form JSON object kept with the board.</param>
public sealed record BoardDefinition(
    SortOrder? SortOrder,
    ScoreOperator? Operator,
    string? ResetSchedule,
    long? MinScore,
    long? MaxScore,
    JsonElement? Metadata);
