namespace Stack.Dspy.Modules;

/// <summary>What a module produced.</summary>
/// <param name="Output">The typed output.</param>
/// <param name="Reasoning">The model's step-by-step reasoning (<see cref="ChainOfThought{TIn, TOut}"/>), else null.</param>
/// <param name="Attempts">Model calls it took: 1, or more when malformed replies were retried; 0 for deterministic steps.</param>
public sealed record Prediction<TOut>(TOut Output, string? Reasoning = null, int Attempts = 0);
