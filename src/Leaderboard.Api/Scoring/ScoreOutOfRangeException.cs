namespace Leaderboard.Api.Scoring;

/// <summary>A submission whose result would leave the score range; answered 400.</summary>
internal sealed class ScoreOutOfRangeException(string message) : Exception(message);
