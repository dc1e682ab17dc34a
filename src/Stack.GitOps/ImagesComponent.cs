using System.Text.RegularExpressions;

namespace Stack.GitOps;

/// <summary>
/// The images of one environment: a kustomize Component (<see cref="DeployTree.ImagesComponentFile"/>)
/// naming each image's tag and, once promoted by a verified build, its digest, which kustomize
/// renders as <c>name:tag@sha256:...</c>. Promotion owns it (<c>stack promote</c>, or CI after a
/// build); publish only creates it when it is missing and adds images it does not list yet. Each
/// image is one line (<c>- {name: ..., newTag: "...", digest: sha256:...}</c>), so a promotion is a
/// one-line diff in review; the older block form (<c>newTag:</c> on a line of its own) is read too.
/// </summary>
public static partial class ImagesComponent
{
    private const string Header = """
        # Images of this environment. Promotion owns this file: `stack promote <env> <image> <tag>`
        # (or CI after it builds, signs and pushes an image) changes one line, writing the digest it
        # verified. `aspire publish` only creates it when it is missing and adds images it does not
        # list yet; it never changes a tag or a digest.
        apiVersion: kustomize.config.k8s.io/v1alpha1
        kind: Component
        images:
        """;

    /// <summary>A new component listing <paramref name="images"/> (full name without tag, tag).</summary>
    public static string Create(IEnumerable<(string Image, string Tag)> images)
    {
        var entries = string.Concat(images.Select(i => NewEntry(i.Image, i.Tag)));

        // Kustomize refuses a component whose only list is null; an environment without images of ours says so.
        return Header + (entries.Length == 0 ? " []\n" : "\n" + entries);
    }

    /// <summary>One image of an environment: its full name, tag, and the digest promotion verified (or none).</summary>
    public sealed record Entry(string Name, string Tag, string? Digest)
    {
        /// <summary>What kustomize renders after the name: <c>tag</c> or <c>tag@sha256:...</c>.</summary>
        public string Pin => Digest is null ? Tag : $"{Tag}@{Digest}";
    }

    /// <summary>The images listed in <paramref name="content"/>, with their tags.</summary>
    public static IReadOnlyDictionary<string, string> Read(string content) =>
        new SortedDictionary<string, string>(ReadEntries(content).ToDictionary(e => e.Key, e => e.Value.Tag), StringComparer.Ordinal);

    /// <summary>The images listed in <paramref name="content"/>, with their tags and digests.</summary>
    public static IReadOnlyDictionary<string, Entry> ReadEntries(string content)
    {
        var images = new SortedDictionary<string, Entry>(StringComparer.Ordinal);
        Entry? block = null;
        foreach (var line in content.Split('\n'))
        {
            if (FlowLine().Match(line) is { Success: true } f)
            {
                var entry = new Entry(f.Groups["name"].Value, f.Groups["tag"].Value, f.Groups["digest"].Success ? f.Groups["digest"].Value : null);
                images[entry.Name] = entry;
                block = null;
            }
            else if (NameLine().Match(line) is { Success: true } n)
            {
                // Stryker disable once String : the placeholder is replaced by the block's newTag line before the entry is listed
                block = new Entry(n.Groups["name"].Value, "", null);
            }
            else if (block is not null && TagLine().Match(line) is { Success: true } t)
            {
                images[block.Name] = block = block with { Tag = t.Groups["tag"].Value };
            }
            else if (block is not null && DigestLine().Match(line) is { Success: true } d)
            {
                images[block.Name] = block = block with { Digest = d.Groups["digest"].Value };
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

        return content.Replace("\nimages: []\n", "\nimages:\n", StringComparison.Ordinal).TrimEnd('\n') + "\n" + string.Concat(missing.Select(i => NewEntry(i.Image, i.Tag)));
    }

    /// <summary>
    /// Sets the tag of <paramref name="image"/> (a full name, or the last path segment such as
    /// <c>leaderboard-api</c>) to <paramref name="tag"/>, and its digest to <paramref name="digest"/>
    /// (none: the entry keeps no digest, since a digest belongs to one build of one tag), changing
    /// only that image's line.
    /// </summary>
    /// <exception cref="ArgumentException">The tag is not a valid, pinned image tag, the digest is not sha256, or the image is ambiguous or unknown.</exception>
    public static string Promote(string content, string image, string tag, string? digest = null)
    {
        if (!ValidTag().IsMatch(tag) || tag == "latest")
        {
            throw new ArgumentException($"'{tag}' is not a pinned image tag: use letters, digits, '_', '.' and '-' (at most 128, not starting with '.' or '-'), and never 'latest'.");
        }

        if (digest is not null && !ValidDigest().IsMatch(digest))
        {
            throw new ArgumentException($"'{digest}' is not an image digest: give sha256:<64 hex digits>.");
        }

        var name = Resolve(content, image);
        var lines = content.Split('\n').ToList();
        for (var i = 0; i < lines.Count; i++)
        {
            if (FlowLine().Match(lines[i]) is { Success: true } f && f.Groups["name"].Value == name)
            {
                lines[i] = lines[i][..lines[i].IndexOf('-', StringComparison.Ordinal)] + "- " + Line(name, tag, digest)[4..];
                return string.Join('\n', lines);
            }

            if (NameLine().Match(lines[i]) is { Success: true } n && n.Groups["name"].Value == name)
            {
                // The block form: the tag's line, then a digest line added, changed or removed after it.
                var end = i + 1;
                while (end < lines.Count && !NameLine().IsMatch(lines[end]) && !FlowLine().IsMatch(lines[end]) && lines[end].StartsWith(' '))
                {
                    end++;
                }

                var tagLine = Enumerable.Range(i + 1, end - i - 1).FirstOrDefault(j => TagLine().IsMatch(lines[j]), -1);
                if (tagLine == -1)
                {
                    // A name without a tag is no entry (Read skips it too): the image is listed further on.
                    continue;
                }

                var old = TagLine().Match(lines[tagLine]).Groups["tag"];
                var indent = lines[tagLine][..(lines[tagLine].Length - lines[tagLine].TrimStart().Length)];
                lines[tagLine] = lines[tagLine][..old.Index] + tag + lines[tagLine][(old.Index + old.Length)..];
                var digestLine = Enumerable.Range(i + 1, end - i - 1).FirstOrDefault(j => DigestLine().IsMatch(lines[j]), -1);
                if (digestLine != -1)
                {
                    lines.RemoveAt(digestLine);
                }

                if (digest is not null)
                {
                    lines.Insert(tagLine + 1, $"{indent}digest: {digest}");
                }

                return string.Join('\n', lines);
            }
        }

        // Resolve found the image through a line with its tag, so the loop above always returns.
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

    private static string NewEntry(string image, string tag) => Line(image, tag, digest: null) + "\n";

    private static string Line(string image, string tag, string? digest) =>
        $"  - {{name: {image}, newTag: \"{tag}\"{(digest is null ? "" : $", digest: {digest}")}}}";

    [GeneratedRegex(@"^\s*-\s*\{\s*name:\s*(?<name>[^\s,}#]+)\s*,\s*newTag:\s*""?(?<tag>[^"",\s}#]+)""?\s*(,\s*digest:\s*""?(?<digest>[^"",\s}#]+)""?\s*)?\}\s*(#.*)?$")]
    private static partial Regex FlowLine();

    [GeneratedRegex(@"^\s+digest:\s*""?(?<digest>[^""\s#]+)""?\s*$")]
    private static partial Regex DigestLine();

    [GeneratedRegex("^sha256:[0-9a-f]{64}$")]
    private static partial Regex ValidDigest();

    [GeneratedRegex(@"^\s*-\s+name:\s*(?<name>[^\s#]+)\s*$")]
    private static partial Regex NameLine();

    [GeneratedRegex(@"^\s+newTag:\s*""?(?<tag>[^""\s#]+)""?\s*$")]
    private static partial Regex TagLine();

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")]
    private static partial Regex ValidTag();
}
