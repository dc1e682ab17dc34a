namespace Stack.Policy;

/// <summary>
/// One Kubernetes object read from a manifest: where it was written, and its content as the plain
/// maps (<see cref="Dictionary{TKey,TValue}"/> of string to object), lists and scalars (string,
/// long, double, bool, null) that CEL evaluates.
/// </summary>
public sealed class Manifest
{
    internal Manifest(string source, int line, Dictionary<string, object?> content)
    {
        Source = source;
        Line = line;
        Content = content;
        ApiVersion = (string)content["apiVersion"]!;
        Kind = (string)content["kind"]!;
        var metadata = content.GetValueOrDefault("metadata") as Dictionary<string, object?>;
        Name = metadata?.GetValueOrDefault("name") as string ?? "";
        Namespace = metadata?.GetValueOrDefault("namespace") as string;
    }

    /// <summary>The file (or stream, or rendered folder) the object was read from.</summary>
    public string Source { get; }

    /// <summary>The 1-based line where the object's YAML document starts.</summary>
    public int Line { get; }

    public string ApiVersion { get; }

    public string Kind { get; }

    public string Name { get; }

    public string? Namespace { get; }

    /// <summary>The API group: the part of apiVersion before the slash, empty for the core group.</summary>
    public string Group => ApiVersion.Contains('/') ? ApiVersion[..ApiVersion.IndexOf('/')] : "";

    /// <summary>The version: the part of apiVersion after the slash.</summary>
    public string Version => ApiVersion[(ApiVersion.IndexOf('/') + 1)..];

    /// <summary>Kind/name, with the namespace when there is one: how a person names the object.</summary>
    public string DisplayName => Namespace is null ? $"{Kind}/{Name}" : $"{Kind}/{Name} ({Namespace})";

    /// <summary>The object itself, read-only by convention: the policies evaluate it as it is.</summary>
    public IReadOnlyDictionary<string, object?> Content { get; }

    internal Dictionary<string, object?> Object => (Dictionary<string, object?>)Content;
}
