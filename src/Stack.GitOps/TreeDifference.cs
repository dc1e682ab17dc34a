namespace Stack.GitOps;

/// <summary>How two folders differ, file by file: what a drift check reports.</summary>
/// <param name="Added">Files only in the fresh render (relative, '/'-separated).</param>
/// <param name="Removed">Files only in the committed tree.</param>
/// <param name="Changed">Files in both whose bytes differ.</param>
public sealed record TreeDifference(IReadOnlyList<string> Added, IReadOnlyList<string> Removed, IReadOnlyList<string> Changed)
{
    /// <summary>The trees are byte-identical.</summary>
    public bool IsEmpty => Added.Count == 0 && Removed.Count == 0 && Changed.Count == 0;

    /// <summary>Compares <paramref name="committed"/> with <paramref name="rendered"/>; a missing folder counts as empty.</summary>
    public static TreeDifference Between(string committed, string rendered)
    {
        var before = Files(committed);
        var after = Files(rendered);
        return new TreeDifference(
            after.Keys.Except(before.Keys).Order(StringComparer.Ordinal).ToList(),
            before.Keys.Except(after.Keys).Order(StringComparer.Ordinal).ToList(),
            before.Keys.Intersect(after.Keys).Where(f => !File.ReadAllBytes(before[f]).AsSpan().SequenceEqual(File.ReadAllBytes(after[f]))).Order(StringComparer.Ordinal).ToList());
    }

    /// <summary>One line per differing file, e.g. <c>changed base/cache/statefulset.yaml</c>.</summary>
    public IEnumerable<string> Describe() =>
        Added.Select(f => $"added   {f}").Concat(Removed.Select(f => $"removed {f}")).Concat(Changed.Select(f => $"changed {f}"));

    private static Dictionary<string, string> Files(string root)
    {
        if (!Directory.Exists(root))
        {
            return [];
        }

        // Stryker disable once String : .NET reads an empty pattern as "*", so that mutant is the same program
        return Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(root, f).Replace(Path.DirectorySeparatorChar, '/'), StringComparer.Ordinal);
    }
}
