using System.Text.Json;
using Leaderboard.Api.Model;

namespace Leaderboard.Core.Tests;

/// <summary>Boards for tests of the rules, built without storage.</summary>
internal static class Boards
{
    public static readonly DateTimeOffset Created = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    public static Board With(SortOrder order = SortOrder.Descending, ScoreOperator op = ScoreOperator.Best, string? resetSchedule = null) =>
        new("weekly-race", order, op, resetSchedule, null, null, JsonDocument.Parse("{}").RootElement, Created);

    public static ScoreRecord Record(long score, long subscore = 0, long sequence = 1, string player = "alice") =>
        new(player, score, subscore, sequence, null);
}
