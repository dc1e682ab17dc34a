using System.Text.RegularExpressions;

namespace Stack.GitOps;

/// <summary>
/// The image tags of one environment: a kustomize Component (<see cref="DeployTree.ImagesComponentFile"/>).
/// Promotion owns it (<c>stack promote</c>, or CI after a build); publish only creates it when it
/// is missing and adds images it does not list yet. Edits touch one line, so a promotion is a
/// one-line diff in review.
/// </summary>
public static partial class ImagesComponent
{
    private const string Header = """
        # Image tags of this environment. Promotion owns this file: `stack promote <env> <image> <tag>`
        # (or CI after it builds an image) changes one line. `aspire publish` only creates it when it
        # is missing and adds images it does not list yet; it never changes a tag.
        apiVersion: kustomize.config.k8s.io/v1alpha1
        kind: Component
        images:
        """;

    /// <summary>A new component listing <paramref name="images"/> (full name without tag, tag).</summary>
    public static string Create(IEnumerable<(string Image, string Tag)> images)
    {
        var entries = string.Concat(images.Select(i => Entry(i.Image, i.Tag)));

        // Kustomize refuses a component whose only list is null; an environment without images of ours says so.
        return Header + (entries.Length == 0 ? " []\n" : "\n" + entries);
    }

    /// <summary>The images listed in <paramref name="content"/>, with their tags.</summary>
    public static IReadOnlyDictionary<string, string> Read(string content)
    {
        var images = new SortedDictionary<string, string>(StringComparer.Ordinal);
        string? name = null;
        foreach (var line in content.Split('\n'))
        {
            if (NameLine().Match(line) is { Success: true } n)
            {
                name = n.Groups["name"].Value;
            }
            else if (name is not null && TagLine().Match(line) is { Success: true } t)
            {
                images[name] = t.Groups["tag"].Value;
                name = null;
            }
        }

        return images;
    }

    /// <summary><paramref name="content"/> plus entries for the <paramref name="images"/> it does not list yet; unchanged otherwise.</summary>
    public static string AddMissing(string content, IEnumerable<(string Image, string Tag)> images)
    {
        var listed = Read(content);
        var missing = images.Where(i => !listed.ContainsKey(i.Image)).ToList();
        if (missing.Count == 0)
        {
            return content;
        }

        return content.Replace("\nimages: []\n", "\nimages:\n", StringComparison.Ordinal).TrimEnd('\n') + "\n" + string.Concat(missing.Select(i => Entry(i.Image, i.Tag)));
    }

    /// <summary>
    /// Sets the tag of <paramref name="image"/> (a full name, or the last path segment such as
    /// <c>leaderboard-api</c>) to <paramref name="tag"/>, changing only that line.
    /// </summary>
    /// <exception cref="ArgumentException">The tag is not a valid, pinned image tag, or the image is ambiguous or unknown.</exception>
    public static string Promote(string content, string image, string tag)
    {
        if (!ValidTag().IsMatch(tag) || tag == "latest")
        {
            throw new ArgumentException($"'{tag}' is not a pinned image tag: use letters, digits, '_', '.' and '-' (at most 128, not starting with '.' or '-'), and never 'latest'.");
        }

        var name = Resolve(content, image);
        var lines = content.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (NameLine().Match(lines[i]) is { Success: true } n && n.Groups["name"].Value == name)
            {
                for (var j = i + 1; j < lines.Length; j++)
                {
                    if (TagLine().Match(lines[j]) is { Success: true } t)
                    {
                        var old = t.Groups["tag"];
                        lines[j] = lines[j][..old.Index] + tag + lines[j][(old.Index + old.Length)..];
                        return string.Join('\n', lines);
                    }
                }
            }
        }

        // Resolve found the image through its newTag line, so the loop above always returns.
        // Stryker disable once all : unreachable, so no test can observe a change here
        throw new System.Diagnostics.UnreachableException($"Image '{name}' has no newTag line.");
    }

    /// <summary>The full name of <paramref name="image"/> (a full name, or its last path segment) among those <paramref name="content"/> lists.</summary>
    /// <exception cref="ArgumentException">No listed image, or more than one, matches.</exception>
    public static string Resolve(string content, string image)
    {
        var listed = Read(content).Keys.ToList();
        var matches = listed.Where(name => name == image || name.EndsWith("/" + image, StringComparison.Ordinal)).ToList();
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new ArgumentException($"No image '{image}' in this environment; it lists: {(listed.Count == 0 ? "none" : string.Join(", ", listed))}."),
            _ => throw new ArgumentException($"'{image}' matches several images ({string.Join(", ", matches)}); give the full name."),
        };
    }

    private static string Entry(string image, string tag) => $"  - name: {image}\n    newTag: \"{tag}\"\n";

    [GeneratedRegex(@"^\s*-\s+name:\s*(?<name>[^\s#]+)\s*$")]
    private static partial Regex NameLine();

    [GeneratedRegex(@"^\s+newTag:\s*""?(?<tag>[^""\s#]+)""?\s*$")]
    private static partial Regex TagLine();

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")]
    private static partial Regex ValidTag();
}
