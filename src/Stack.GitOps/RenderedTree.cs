namespace Stack.GitOps;

/// <summary>The files of a GitOps tree, by path relative to its root ('/'-separated), in ordinal order.</summary>
public sealed class RenderedTree
{
    /// <summary>Every file's content by its path.</summary>
    public SortedDictionary<string, string> Files { get; } = new(StringComparer.Ordinal);

    /// <summary>Adds a file; two files may not share a path.</summary>
    public void Add(string path, string content)
    {
        if (!Files.TryAdd(path, content))
        {
            throw new InvalidOperationException($"Two generated files share the path '{path}'.");
        }
    }

    /// <summary>Writes every file under <paramref name="root"/>, with '\n' line ends and no BOM on every platform.</summary>
    public void WriteTo(string root)
    {
        foreach (var (path, content) in Files)
        {
            var full = Path.Combine(root, path.Replace('/', Path.DirectorySeparatorChar));
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, content.ReplaceLineEndings("\n"), new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        }
    }
}
