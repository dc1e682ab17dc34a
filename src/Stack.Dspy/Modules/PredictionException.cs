namespace Stack.Dspy.Modules;

/// <summary>The model gave no reply that parses into the signature's outputs, after every attempt.</summary>
public sealed class PredictionException(string message, int attempts, IReadOnlyList<string> replies) : Exception(message)
{
    /// <summary>How many times the model was asked.</summary>
    public int Attempts { get; } = attempts;

    /// <summary>Its replies, in order.</summary>
    public IReadOnlyList<string> Replies { get; } = replies;
}
