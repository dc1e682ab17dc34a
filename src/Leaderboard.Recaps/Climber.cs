using System.ComponentModel;

namespace Leaderboard.Recaps;

/// <summary>A player who gained rank positions in the last hour.</summary>
public sealed record Climber(
    [property: Description("The player's id.")] string Player,
    [property: Description("Rank positions gained in the last hour.")] long Positions);
