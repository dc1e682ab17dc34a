namespace Stack.Policy.Yaml;

/// <summary>One YAML document: the 1-based line where its content starts, and that content as plain values.</summary>
internal sealed record PlainYamlDocument(int Line, object? Root);
