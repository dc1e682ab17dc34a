namespace Leaderboard.Api.Ranking;

/// <summary>The ranking index cannot answer right now (Redis down, or a rebuild in progress); answered 503.</summary>
internal class IndexUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// The period's index does not hold every record yet (never built, flushed, restarted, or being
/// rebuilt). Readers start or join its rebuild; unhandled, it is a 503 like any unavailability.
/// </summary>
internal sealed class IndexNotReadyException(IndexKeys keys)
    : IndexUnavailableException($"The index of board '{keys.BoardId}' is being rebuilt from PostgreSQL.")
{
    public IndexKeys Keys { get; } = keys;
}
