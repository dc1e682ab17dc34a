namespace Leaderboard.Api.Model;

/// <summary>
/// Scores and subscores are integers within ±(2^53 − 1): every such value survives a round trip
/// through JSON numbers in any client (JavaScript included) and through the ranking index.
/// </summary>
public static class ScoreRange
{
    public const long Max = (1L << 53) - 1;

    public const long Min = -Max;

    public static bool Contains(long value) => value is >= Min and <= Max;
}
