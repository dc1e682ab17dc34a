namespace Stack.Dspy.Modules;

/// <summary>A worked example shown to the model before the real input (a few-shot demonstration).</summary>
/// <param name="Input">The example's inputs.</param>
/// <param name="Output">The outputs the model should have given.</param>
/// <param name="Reasoning">The reasoning that led there, for <see cref="ChainOfThought{TIn, TOut}"/>.</param>
public sealed record Demonstration<TIn, TOut>(TIn Input, TOut Output, string? Reasoning = null);
