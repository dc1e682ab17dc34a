namespace Stack.Policy;

/// <summary>
/// The policies cannot be used as written: a CEL expression that does not compile, a binding
/// without its policy, a parameter that is not there. The gate stops here rather than judge
/// manifests with a rule it cannot evaluate.
/// </summary>
public sealed class PolicyLoadException : Exception
{
    public PolicyLoadException(string message, string? policy = null, string? expression = null, Exception? innerException = null)
        : base(Describe(message, policy, expression), innerException)
    {
        Policy = policy;
        Expression = expression;
    }

    /// <summary>The policy (or binding) at fault, when one is.</summary>
    public string? Policy { get; }

    /// <summary>The CEL expression at fault, when one is.</summary>
    public string? Expression { get; }

    private static string Describe(string message, string? policy, string? expression) =>
        (policy, expression) switch
        {
            (null, _) => message,
            (_, null) => $"{policy}: {message}",
            _ => $"{policy}: {message} in expression `{OneLine(expression)}`",
        };

    private static string OneLine(string expression) => string.Join(' ', expression.Split((char[])['\n', '\r'], StringSplitOptions.RemoveEmptyEntries).Select(line => line.Trim()));
}
