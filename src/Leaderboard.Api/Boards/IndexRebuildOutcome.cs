namespace Leaderboard.Api.Boards;

/// <summary>What became of a request to rebuild a board's ranking index.</summary>
internal enum IndexRebuildOutcome
{
    /// <summary>The current period's index was rebuilt from PostgreSQL.</summary>
    Rebuilt,

    /// <summary>Another replica holds the rebuild lock and is rebuilding it now.</summary>
    AlreadyRebuilding,

    /// <summary>There is no such board.</summary>
    BoardNotFound,
}
