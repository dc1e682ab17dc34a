namespace Stack.Dspy.Evaluation;

/// <summary>One line of a dev set: inputs, the outputs a good answer might have (optional), and its split.</summary>
/// <param name="Input">The inputs.</param>
/// <param name="Output">A reference answer, when the metric wants one; null otherwise.</param>
/// <param name="Split"><c>train</c> (the optimizer bootstraps demonstrations from it) or <c>dev</c> (scored before and after).</param>
public sealed record Example<TIn, TOut>(TIn Input, TOut? Output = default, string Split = Example.Dev);

/// <summary>The splits of a dev set.</summary>
public static class Example
{
    public const string Train = "train";
    public const string Dev = "dev";
}
