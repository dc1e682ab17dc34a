using Leaderboard.Api.Model;

namespace Leaderboard.Api.Scoring;

/// <summary>The board operators: how a submission combines with a stored record.</summary>
internal static class ScoreOperators
{
    /// <summary>The (score, subscore) pair to store after <paramref name="score"/>/<paramref name="subscore"/> are submitted.</summary>
    /// <exception cref="ScoreOutOfRangeException">An increment or decrement would leave ±(2^53 − 1).</exception>
    public static (long Score, long Subscore) Combine(Board board, ScoreRecord current, long score, long subscore) => board.Operator switch
    {
        ScoreOperator.Best => IsBetter(board.SortOrder, score, subscore, current.Score, current.Subscore) ? (score, subscore) : (current.Score, current.Subscore),
        ScoreOperator.Set => (score, subscore),
        ScoreOperator.Increment => (Add(current.Score, score), Add(current.Subscore, subscore)),
        ScoreOperator.Decrement => (Add(current.Score, -score), Add(current.Subscore, -subscore)),
        _ => throw new ArgumentOutOfRangeException(nameof(board), board.Operator, "Unknown operator."),
    };

    /// <summary>Whether the submission takes the record's place (so its metadata is kept): always, except a worse pair under <c>best</c>.</summary>
    public static bool Replaces(Board board, ScoreRecord current, long score, long subscore) =>
        board.Operator != ScoreOperator.Best
        || !IsBetter(board.SortOrder, current.Score, current.Subscore, score, subscore);

    /// <summary>Whether pair a ranks strictly before pair b: score first, then subscore, in the board's direction.</summary>
    public static bool IsBetter(SortOrder order, long scoreA, long subscoreA, long scoreB, long subscoreB)
    {
        var comparison = scoreA != scoreB ? scoreA.CompareTo(scoreB) : subscoreA.CompareTo(subscoreB);
        return order == SortOrder.Descending ? comparison > 0 : comparison < 0;
    }

    private static long Add(long stored, long delta)
    {
        var sum = stored + delta; // both within ±(2^53 − 1): no 64-bit overflow
        return ScoreRange.Contains(sum)
            ? sum
            : throw new ScoreOutOfRangeException($"The result {sum} would leave the score range ±{ScoreRange.Max}.");
    }
}
