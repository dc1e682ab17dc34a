namespace Stack.Dspy.Evaluation;

/// <summary>
/// Judges one output: a score in [0, 1] and whether it passes. The optimizer keeps only
/// demonstrations that pass; a program's callers publish only outputs that pass.
/// </summary>
public interface IMetric<TIn, TOut>
{
    /// <summary>A short name, printed with the scores.</summary>
    string Name { get; }

    MetricResult Judge(Example<TIn, TOut> example, TOut output);
}

/// <summary>A metric's verdict on one output.</summary>
/// <param name="Score">From 0 (nothing right) to 1 (every check passed).</param>
/// <param name="Failures">What was wrong, one sentence each; empty when it passed.</param>
public sealed record MetricResult(double Score, IReadOnlyList<string> Failures)
{
    public bool Passed => Failures.Count == 0;

    /// <summary>The verdict of <paramref name="checks"/> checks of which <paramref name="failures"/> failed: the share that passed.</summary>
    public static MetricResult Of(int checks, IReadOnlyList<string> failures)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(checks);
        return new MetricResult(Math.Max(0, checks - failures.Count) / (double)checks, failures);
    }
}
