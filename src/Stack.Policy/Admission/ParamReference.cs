namespace Stack.Policy.Admission;

/// <summary>
/// A binding's paramRef. Without a namespace, the parameter object is looked up in the namespace
/// of the object under review, as the API server does.
/// </summary>
internal sealed record ParamReference(string Name, string? Namespace, bool DenyWhenMissing);
