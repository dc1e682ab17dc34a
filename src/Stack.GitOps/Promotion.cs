namespace Stack.GitOps;

/// <summary>
/// Promotion: pins an image of one environment to a tag (one line of its images component), or
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
    /// <param name="Previous">The tag or revision it had; empty when it had none.</param>
    /// <param name="Current">The tag or revision it has now.</param>
    /// <param name="File">The file that holds it.</param>
    public sealed record Result(string Environment, string Subject, string Previous, string Current, string File)
    {
        /// <summary>Whether the file changed (false when it held that value already).</summary>
        public bool Changed => Previous != Current;
    }

    /// <summary>Sets <paramref name="image"/> (full name or last segment) of <paramref name="environment"/> in <paramref name="tree"/> to <paramref name="tag"/>.</summary>
    /// <exception cref="ArgumentException">The environment or image is unknown, or the tag is not a pinned tag; nothing was written.</exception>
    public static Result PromoteImage(DeployTree tree, string environment, string image, string tag)
    {
        ArgumentNullException.ThrowIfNull(tree);
        var file = tree.ImagesComponent(RequireEnvironment(tree, environment));
        if (!System.IO.File.Exists(file))
        {
            throw new ArgumentException($"environment '{environment}' has no images component ({file}): run `dotnet aspire publish` first");
        }

        var content = System.IO.File.ReadAllText(file);
        var promoted = ImagesComponent.Promote(content, image, tag);
        var name = ImagesComponent.Resolve(content, image);
        return Write(new Result(environment, name, ImagesComponent.Read(content)[name], tag, file), promoted);
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
        return Write(new Result(environment, RevisionSubject, content is null ? "" : ReleaseFile.Read(content)!, commit, file), promoted);
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
