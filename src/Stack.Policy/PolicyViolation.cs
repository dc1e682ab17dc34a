namespace Stack.Policy;

/// <summary>One object that one policy rejects (or, for a Warn/Audit binding, would report).</summary>
/// <param name="Policy">The ValidatingAdmissionPolicy's name.</param>
/// <param name="Binding">The binding that applied it.</param>
/// <param name="Kind">The object's kind.</param>
/// <param name="Name">The object's name.</param>
/// <param name="Namespace">The object's namespace, when the manifest sets one.</param>
/// <param name="Source">The file (or stream, or rendered folder) the object came from.</param>
/// <param name="Line">The 1-based line where the object's YAML document starts.</param>
/// <param name="Message">The policy's message: its messageExpression, else its message.</param>
public sealed record PolicyViolation(string Policy, string Binding, string Kind, string Name, string? Namespace, string Source, int Line, string Message)
{
    /// <summary>Kind/name, with the namespace when there is one.</summary>
    public string Object => Namespace is null ? $"{Kind}/{Name}" : $"{Kind}/{Name} ({Namespace})";

    /// <summary>file:line.</summary>
    public string Location => $"{Source}:{Line}";
}
