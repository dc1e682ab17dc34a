using System.Text.Json;

namespace Leaderboard.Api.Model;

/// <summary>A board as stored: its rules and when it was created.</summary>
public sealed record Board(
    string BoardId,
    SortOrder SortOrder,
    ScoreOperator Operator,
    string? ResetSchedule,
    long? MinScore,
    long? MaxScore,
    JsonElement Metadata,
    DateTimeOffset CreatedAt)
{
    /// <summary>Whether <paramref name="other"/> describes the same rules (metadata compared as JSON text).</summary>
    public bool HasSameConfiguration(Board other) =>
        SortOrder == other.SortOrder
        && Operator == other.Operator
        && ResetSchedule == other.ResetSchedule
        && MinScore == other.MinScore
        && MaxScore == other.MaxScore
        && JsonElement.DeepEquals(Metadata, other.Metadata);
}
