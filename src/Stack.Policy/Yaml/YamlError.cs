namespace Stack.Policy.Yaml;

/// <summary>Where a YAML stream stopped being YAML, and why.</summary>
internal sealed record YamlError(int Line, string Message);
