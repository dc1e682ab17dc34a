namespace Stack.GitOps;

/// <summary>
/// Pins an image of one environment to a tag by changing one line of that environment's images
/// component: the change <c>stack promote</c> (or CI after a build) commits, and Argo CD rolls out.
/// </summary>
public static class ImagePromotion
{
    /// <summary>What a promotion did.</summary>
    /// <param name="Environment">The environment promoted.</param>
    /// <param name="Image">The image's full name.</param>
    /// <param name="PreviousTag">The tag it had.</param>
    /// <param name="Tag">The tag it has now.</param>
    /// <param name="File">The images component that holds it.</param>
    public sealed record Result(string Environment, string Image, string PreviousTag, string Tag, string File)
    {
        /// <summary>Whether the file changed (false when the image was at that tag already).</summary>
        public bool Changed => PreviousTag != Tag;
    }

    /// <summary>Sets <paramref name="image"/> (full name or last segment) of <paramref name="environment"/> in <paramref name="tree"/> to <paramref name="tag"/>.</summary>
    /// <exception cref="ArgumentException">The environment or image is unknown, or the tag is not a pinned tag; nothing was written.</exception>
    public static Result Promote(DeployTree tree, string environment, string image, string tag)
    {
        ArgumentNullException.ThrowIfNull(tree);
        var file = tree.ImagesComponent(environment);
        if (!System.IO.File.Exists(file))
        {
            throw new ArgumentException($"no environment '{environment}' in {tree.Root}; it has: {string.Join(", ", tree.Environments())}");
        }

        var content = System.IO.File.ReadAllText(file);
        var promoted = ImagesComponent.Promote(content, image, tag);
        var name = ImagesComponent.Resolve(content, image);
        var result = new Result(environment, name, ImagesComponent.Read(content)[name], tag, file);
        if (result.Changed)
        {
            System.IO.File.WriteAllText(file, promoted);
        }

        return result;
    }
}
