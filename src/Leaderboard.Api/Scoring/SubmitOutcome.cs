using Leaderboard.Api.Model;

namespace Leaderboard.Api.Scoring;

/// <summary>What became of a score submission.</summary>
internal abstract record SubmitOutcome
{
    /// <summary>Stored (or replayed from its idempotency key).</summary>
    public sealed record Accepted(SubmitScoreResponse Response) : SubmitOutcome;

    public sealed record BoardNotFound : SubmitOutcome;

    /// <summary>Outside the board's bounds, or an increment that would leave the score range.</summary>
    public sealed record Rejected(string Field, string Message) : SubmitOutcome;

    /// <summary>The idempotency key was used before with a different request.</summary>
    public sealed record KeyReused : SubmitOutcome;
}
