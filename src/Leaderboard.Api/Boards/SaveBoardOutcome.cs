using Leaderboard.Api.Model;

namespace Leaderboard.Api.Boards;

/// <summary>What became of a create-or-update of a board.</summary>
internal abstract record SaveBoardOutcome
{
    /// <summary>The board is new.</summary>
    public sealed record Created(BoardResponse Board) : SaveBoardOutcome;

    /// <summary>The board existed: its schedule, bounds and metadata are now the requested ones (perhaps they already were).</summary>
    public sealed record Updated(BoardResponse Board) : SaveBoardOutcome;

    /// <summary>The board exists with another sort order or operator, which its scores were ranked by; nothing changed.</summary>
    public sealed record RulesConflict(Board Existing) : SaveBoardOutcome;
}
