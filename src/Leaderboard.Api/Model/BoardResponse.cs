using System.Text.Json;

namespace Leaderboard.Api.Model;

/// <summary>A board as the API shows it: configuration, current period and how many entries it holds.</summary>
public sealed record BoardResponse(
    string BoardId,
    SortOrder SortOrder,
    ScoreOperator Operator,
    string? ResetSchedule,
    long? MinScore,
    long? MaxScore,
    JsonElement Metadata,
    DateTimeOffset CreatedAt,
    PeriodResponse CurrentPeriod,
    long? EntryCount);
