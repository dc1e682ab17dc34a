namespace Stack.Hosting.GitOps.Graph;

/// <summary>
/// A value as it appears in a manifest: literal text, possibly holding <c>$(VAR)</c> references to
/// secret-backed environment variables that Kubernetes expands in the container. The secret values
/// themselves never appear; only the names of the Secret keys they come from.
/// </summary>
/// <param name="Text">The manifest text; literal <c>$(</c> is already escaped as <c>$$(</c> when <see cref="SecretKeys"/> is not empty.</param>
/// <param name="SecretKeys">The Secret keys the text refers to, in order of first use.</param>
/// <param name="IsWholeSecret">The value is exactly one secret, so an env var can take it straight from the Secret.</param>
internal sealed record KubernetesValue(string Text, IReadOnlyList<string> SecretKeys, bool IsWholeSecret)
{
    public static KubernetesValue Literal(string text) => new(text, [], false);

    public static KubernetesValue Secret(string key) => new(SecretReference(key), [key], true);

    public bool HasSecrets => SecretKeys.Count > 0;

    /// <summary>The environment variable that carries Secret key <paramref name="key"/> inside a container.</summary>
    public static string SecretVariable(string key) =>
        "STACK_SECRET_" + string.Concat(key.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToUpperInvariant(c) : '_'));

    /// <summary>Kubernetes expands <c>$(NAME)</c> in env values, command and args; a literal <c>$(</c> is written <c>$$(</c>.</summary>
    public static string Escape(string literal) => literal.Replace("$(", "$$(", StringComparison.Ordinal);

    private static string SecretReference(string key) => $"$({SecretVariable(key)})";
}
