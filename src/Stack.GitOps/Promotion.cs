namespace Stack.GitOps;

/// <summary>
/// Promotion: pins an image of one environment to a tag and the digest CI verified for it (one line
/// of its images component), or
/// moves the environment to a git revision (its release file). Each is a one-line change that
/// <c>stack promote</c> (or CI after a build) commits, and Argo CD rolls out.
/// </summary>
public static class Promotion
{
    /// <summary>The subject of a revision promotion.</summary>
    public const string RevisionSubject = "revision";

    /// <summary>What a promotion did.</summary>
    /// <param name="Environment">The environment promoted.</param>
    /// <param name="Subject">The image's full name, or <see cref="RevisionSubject"/>.</param>
    /// <param name="Previous">The tag (with <c>@digest</c> when it had one) or revision it had; empty when it had none.</param>
    /// <param name="Current">The tag (with <c>@digest</c>) or revision it has now.</param>
    /// <param name="File">The file that holds it.</param>
    public sealed record Result(string Environment, string Subject, string Previous, string Current, string File)
    {
        /// <summary>Whether the file changed (false when it held that value already).</summary>
        public bool Changed => Previous != Current;
    }

    /// <summary>
    /// Sets <paramref name="image"/> (full name or last segment) of <paramref name="environment"/> in
    /// <paramref name="tree"/> to <paramref name="tag"/> and <paramref name="digest"/> (the digest the
    /// caller verified; none keeps no digest).
    /// </summary>
    /// <exception cref="ArgumentException">The environment or image is unknown, the tag is not a pinned tag, or the digest is not sha256; nothing was written.</exception>
    public static Result PromoteImage(DeployTree tree, string environment, string image, string tag, string? digest = null)
    {
        ArgumentNullException.ThrowIfNull(tree);
        var content = ReadImages(tree, environment);
        var file = tree.ImagesComponent(environment);
        var promoted = ImagesComponent.Promote(content, image, tag, digest);
        var name = ImagesComponent.Resolve(content, image);
        var entry = new ImagesComponent.Entry(name, tag, digest);
        return Write(new Result(environment, name, ImagesComponent.ReadEntries(content)[name].Pin, entry.Pin, file), promoted);
    }

    /// <summary>The images component of <paramref name="environment"/> in <paramref name="tree"/>, as committed.</summary>
    /// <exception cref="ArgumentException">The environment is unknown or has no images component.</exception>
    public static string ReadImages(DeployTree tree, string environment)
    {
        ArgumentNullException.ThrowIfNull(tree);
        var file = tree.ImagesComponent(RequireEnvironment(tree, environment));
        return System.IO.File.Exists(file)
            ? System.IO.File.ReadAllText(file)
            : throw new ArgumentException($"environment '{environment}' has no images component ({file}): run `dotnet aspire publish` first");
    }

    /// <summary>Makes <paramref name="environment"/> of <paramref name="tree"/> run git commit <paramref name="commit"/>, creating its release file on the first promotion.</summary>
    /// <exception cref="ArgumentException">The environment is unknown, or the revision is not a full commit id; nothing was written.</exception>
    public static Result PromoteRevision(DeployTree tree, string environment, string commit)
    {
        ArgumentNullException.ThrowIfNull(tree);
        var file = tree.Resolve(DeployTree.ReleaseFile(RequireEnvironment(tree, environment)));
        var content = System.IO.File.Exists(file) ? System.IO.File.ReadAllText(file) : null;
        var promoted = ReleaseFile.Promote(content, commit);

        // Promote refused a file without a revision line, so an existing file names one.
        var result = Write(new Result(environment, RevisionSubject, content is null ? "" : ReleaseFile.Read(content)!, commit, file), promoted);
        if (content is null)
        {
            MarkReleased(tree, environment);
        }

        return result;
    }

    /// <summary>
    /// The first release of an environment: its Namespace's <see cref="DeployTree.ReleasedLabel"/>
    /// becomes "true", as publish renders it for an environment with a release file, so the policies
    /// for deployed environments (image digests in staging and prod) judge it from now on.
    /// </summary>
    private static void MarkReleased(DeployTree tree, string environment)
    {
        var file = tree.Resolve(DeployTree.NamespaceFile(environment));
        var unreleased = $"{DeployTree.ReleasedLabel}: \"false\"";
        if (System.IO.File.Exists(file) && System.IO.File.ReadAllText(file) is var content && content.Contains(unreleased, StringComparison.Ordinal))
        {
            System.IO.File.WriteAllText(file, content.Replace(unreleased, $"{DeployTree.ReleasedLabel}: \"true\"", StringComparison.Ordinal));
        }
    }

    private static Result Write(Result result, string content)
    {
        if (result.Changed)
        {
            System.IO.File.WriteAllText(result.File, content);
        }

        return result;
    }

    private static string RequireEnvironment(DeployTree tree, string environment) =>
        tree.Environments().Contains(environment, StringComparer.Ordinal)
            ? environment
            : throw new ArgumentException($"no environment '{environment}' in {tree.Root}; it has: {string.Join(", ", tree.Environments())}");
}
