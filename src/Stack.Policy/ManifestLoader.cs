using Stack.Policy.Kubernetes;
using Stack.Policy.Yaml;

namespace Stack.Policy;

/// <summary>
/// Reads Kubernetes manifests from files, folders and text. A folder is read recursively
/// (*.yaml, *.yml); a folder holding a kustomization is read as <c>kubectl kustomize</c> renders
/// it, because its files alone are often patches rather than objects. Whatever cannot be read
/// becomes a <see cref="ManifestProblem"/> with its file and line: reading never throws on bad input.
/// </summary>
public static class ManifestLoader
{
    /// <summary>The name under which text read from standard input is reported.</summary>
    public const string StandardInputName = "<stdin>";

    /// <summary>Reads every path (file or folder) in order.</summary>
    public static ManifestSet Load(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        return paths.Aggregate(ManifestSet.Empty, (set, path) => set.Concat(Load(path)));
    }

    /// <summary>Reads one file, or one folder (rendered with kubectl when it holds a kustomization).</summary>
    public static ManifestSet Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (File.Exists(path))
        {
            return Parse(File.ReadAllText(path), path);
        }

        return Directory.Exists(path)
            ? LoadDirectory(path)
            : new ManifestSet([], [new ManifestProblem(path, null, "no such file or folder")]);
    }

    /// <summary>Reads YAML text (one or more documents); <paramref name="source"/> names it in reports.</summary>
    public static ManifestSet Parse(string yaml, string source)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentNullException.ThrowIfNull(source);

        var (documents, error) = PlainYamlReader.Read(new StringReader(yaml));
        var manifests = new List<Manifest>();
        var problems = new List<ManifestProblem>();
        foreach (var document in documents)
        {
            ReadObject(document.Root, source, document.Line, manifests, problems);
        }

        if (error is not null)
        {
            problems.Add(new ManifestProblem(source, error.Line, $"not valid YAML: {error.Message}"));
        }
        else if (documents.All(document => document.Root is null))
        {
            // Empty documents between `---` are harmless; a source with nothing at all is a mistake.
            problems.Add(new ManifestProblem(source, 1, "empty: no Kubernetes object in it"));
        }

        return new ManifestSet(manifests, problems);
    }

    private static ManifestSet LoadDirectory(string directory)
    {
        if (Kustomize.IsKustomization(directory))
        {
            var source = $"{directory.TrimEnd('/', '\\')} (kustomize)";
            var (yaml, error) = Kustomize.Render(directory);
            return error is null
                ? Parse(yaml!, source)
                : new ManifestSet([], [new ManifestProblem(directory, null, error)]);
        }

        var files = Directory.EnumerateFiles(directory)
            .Where(file => file.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || file.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .Select(file => Parse(File.ReadAllText(file), file));
        var folders = Directory.EnumerateDirectories(directory)
            .Where(folder => !Path.GetFileName(folder).StartsWith('.'))
            .Order(StringComparer.Ordinal)
            .Select(LoadDirectory);
        return files.Concat(folders).Aggregate(ManifestSet.Empty, (set, next) => set.Concat(next));
    }

    private static void ReadObject(object? root, string source, int line, List<Manifest> manifests, List<ManifestProblem> problems)
    {
        if (root is null)
        {
            return;
        }

        if (root is not Dictionary<string, object?> content
            || content.GetValueOrDefault("apiVersion") is not string apiVersion
            || content.GetValueOrDefault("kind") is not string kind)
        {
            problems.Add(new ManifestProblem(source, line, "not a Kubernetes object: a document needs apiVersion and kind"));
            return;
        }

        var slash = apiVersion.IndexOf('/');
        var group = slash < 0 ? "" : apiVersion[..slash];
        var unknown = KubernetesKinds.Unknown(group, apiVersion[(slash + 1)..], kind);
        if (unknown is not null)
        {
            problems.Add(new ManifestProblem(source, line, unknown));
            return;
        }

        // A v1 List carries its objects in items; each is judged as if written on its own.
        if (group.Length == 0 && kind == "List")
        {
            foreach (var item in content.GetValueOrDefault("items") as List<object?> ?? [])
            {
                ReadObject(item, source, line, manifests, problems);
            }

            return;
        }

        manifests.Add(new Manifest(source, line, content));
    }
}
