namespace Stack.Policy;

/// <summary>
/// Input the gate could not judge: unparsable YAML, an empty file, a document that is not a
/// Kubernetes object, a folder kubectl could not render. Distinct from a violation: nothing was
/// checked there, so the gate cannot say the input passes.
/// </summary>
/// <param name="Source">The file, stream or folder.</param>
/// <param name="Line">The 1-based line, when the problem has one.</param>
/// <param name="Message">What is wrong, in one sentence.</param>
public sealed record ManifestProblem(string Source, int? Line, string Message)
{
    public string Location => Line is { } line ? $"{Source}:{line}" : Source;
}
