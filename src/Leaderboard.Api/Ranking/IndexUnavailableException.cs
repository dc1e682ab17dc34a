namespace Leaderboard.Api.Ranking;

/// <summary>The ranking index cannot answer right now (Redis down, or a rebuild in progress); answered 503.</summary>
internal sealed class IndexUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
