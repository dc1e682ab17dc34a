using System.Text.RegularExpressions;

namespace Stack.Cli.Images;

/// <summary>
/// An image in a registry, as <c>host[:port]/repository[:tag][@sha256:hex]</c>; the host is required
/// (no implicit docker.io), so every reference names the registry it is read from.
/// </summary>
internal sealed partial record ImageReference(string Registry, string Repository, string? Tag, string? Digest)
{
    /// <summary>The tag or digest a manifest request names (the digest wins: it cannot move).</summary>
    public string Reference => Digest ?? Tag ?? throw new InvalidOperationException("An image reference needs a tag or a digest.");

    /// <summary>The name without tag or digest: <c>host/repository</c>, what cosign's payload calls the docker-reference.</summary>
    public string Name => $"{Registry}/{Repository}";

    public ImageReference WithDigest(string digest) => this with { Digest = digest };

    public override string ToString() => Name + (Tag is null ? "" : ":" + Tag) + (Digest is null ? "" : "@" + Digest);

    /// <exception cref="ImageException">The text is not a reference with a registry host and a tag or digest.</exception>
    public static ImageReference Parse(string text)
    {
        var match = Pattern().Match(text ?? "");
        if (!match.Success || !(match.Groups["tag"].Success || match.Groups["digest"].Success))
        {
            throw new ImageException($"'{text}' is not an image reference: write host[:port]/repository:tag or host[:port]/repository@sha256:<64 hex digits>");
        }

        return new ImageReference(
            match.Groups["registry"].Value,
            match.Groups["repository"].Value,
            match.Groups["tag"].Success ? match.Groups["tag"].Value : null,
            match.Groups["digest"].Success ? match.Groups["digest"].Value : null);
    }

    /// <summary>Whether <paramref name="digest"/> is a sha256 content digest.</summary>
    public static bool IsDigest(string digest) => DigestPattern().IsMatch(digest);

    [GeneratedRegex(@"^(?<registry>(localhost|\[[0-9a-f:]+\]|[a-z0-9-]+(\.[a-z0-9-]+)+)(:[0-9]+)?|[a-z0-9-]+:[0-9]+)/(?<repository>[a-z0-9]+([._-][a-z0-9]+)*(/[a-z0-9]+([._-][a-z0-9]+)*)*)(:(?<tag>[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?(@(?<digest>sha256:[0-9a-f]{64}))?$")]
    private static partial Regex Pattern();

    [GeneratedRegex("^sha256:[0-9a-f]{64}$")]
    private static partial Regex DigestPattern();
}
