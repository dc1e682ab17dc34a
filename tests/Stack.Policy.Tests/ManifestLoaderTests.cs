namespace Stack.Policy.Tests;

/// <summary>Reading manifests: bad input becomes a problem with its file and line, never an exception.</summary>
public sealed class ManifestLoaderTests
{
    [Fact]
    public void EachDocumentOfAFileIsReadWithTheLineWhereItStarts()
    {
        var read = ManifestLoader.Parse(
            """
            # a comment first
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: one}
            ---

            apiVersion: v1
            kind: ConfigMap
            metadata: {name: two, namespace: games}
            """, "two.yaml");

        Assert.Empty(read.Problems);
        Assert.Equal([("one", 2), ("two", 7)], read.Manifests.Select(manifest => (manifest.Name, manifest.Line)));
        Assert.Equal("ConfigMap/two (games)", read.Manifests[1].DisplayName);
    }

    [Fact]
    public void ScalarsBecomeTheTypesCelExpects()
    {
        var manifest = Assert.Single(ManifestLoader.Parse(
            """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: api}
            spec: {replicas: 2, ratio: 0.5, paused: false, quoted: "3", none: null, list: [a, 1]}
            """, "types.yaml").Manifests);

        var spec = Assert.IsType<Dictionary<string, object?>>(manifest.Content["spec"]);
        Assert.Equal(2L, spec["replicas"]);
        Assert.Equal(0.5, spec["ratio"]);
        Assert.Equal(false, spec["paused"]);
        Assert.Equal("3", spec["quoted"]);
        Assert.Null(spec["none"]);
        Assert.Equal(["a", 1L], Assert.IsType<List<object?>>(spec["list"]));
    }

    [Fact]
    public void UnparsableYamlIsAProblemAtItsLineAndTheDocumentsBeforeItAreKept()
    {
        var read = ManifestLoader.Parse(
            """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: fine}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: broken
            data: [
            """, "broken.yaml");

        Assert.Equal("fine", Assert.Single(read.Manifests).Name);
        var problem = Assert.Single(read.Problems);
        Assert.Equal("broken.yaml", problem.Source);
        Assert.InRange(problem.Line ?? 0, 7, 9);
        Assert.StartsWith("not valid YAML", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnEmptyFileIsAProblem()
    {
        var problem = Assert.Single(ManifestLoader.Parse("# nothing here\n", "empty.yaml").Problems);

        Assert.Equal(("empty.yaml", 1), (problem.Source, problem.Line));
        Assert.Contains("empty", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ADocumentWithoutApiVersionOrKindIsAProblemAtItsLine()
    {
        var read = ManifestLoader.Parse("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\nname: just-settings\nreplicas: 2\n", "settings.yaml");

        Assert.Single(read.Manifests);
        var problem = Assert.Single(read.Problems);
        Assert.Equal(5, problem.Line);
        Assert.Contains("not a Kubernetes object", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownKindOfABuiltInGroupIsAProblemRatherThanAnUnjudgedObject()
    {
        var read = ManifestLoader.Parse("apiVersion: apps/v1\nkind: Deploymnet\nmetadata: {name: api}\n", "typo.yaml");

        Assert.Empty(read.Manifests);
        var problem = Assert.Single(read.Problems);
        Assert.Equal(1, problem.Line);
        Assert.Contains("unknown kind 'Deploymnet' in apps", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void KindsOfCustomResourcesAreRead()
    {
        var manifest = Assert.Single(ManifestLoader.Parse("apiVersion: argoproj.io/v1alpha1\nkind: AppProject\nmetadata: {name: stack}\n", "argo.yaml").Manifests);

        Assert.Equal(("argoproj.io", "v1alpha1"), (manifest.Group, manifest.Version));
    }

    [Fact]
    public void ADuplicateKeyIsAProblem()
    {
        var problem = Assert.Single(ManifestLoader.Parse("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata:\n  mode: a\n  mode: b\n", "dup.yaml").Problems);

        Assert.Equal(6, problem.Line);
        Assert.Contains("duplicate key 'mode'", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingPathIsAProblem()
    {
        var problem = Assert.Single(ManifestLoader.Load("/no/such/manifests").Problems);

        Assert.Equal(("/no/such/manifests", null), (problem.Source, problem.Line));
    }

    [Fact]
    public void AFolderIsReadRecursivelyAndAKustomizationInItIsRenderedByKubectl()
    {
        using var folder = new TemporaryDirectory();
        Directory.CreateDirectory(Path.Combine(folder.Path, "plain", "deeper"));
        File.WriteAllText(Path.Combine(folder.Path, "plain", "deeper", "a.yml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: plain}\n");
        File.WriteAllText(Path.Combine(folder.Path, "plain", "notes.txt"), "not a manifest");
        Directory.CreateDirectory(Path.Combine(folder.Path, "app"));
        File.WriteAllText(Path.Combine(folder.Path, "app", "kustomization.yaml"), "resources: [settings.yaml]\nnamespace: games\nnamePrefix: prod-\n");
        File.WriteAllText(Path.Combine(folder.Path, "app", "settings.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\n");

        var read = ManifestLoader.Load(folder.Path);

        Assert.Empty(read.Problems);
        Assert.Equal(["ConfigMap/prod-settings (games)", "ConfigMap/plain"], read.Manifests.Select(manifest => manifest.DisplayName));
        Assert.EndsWith("app (kustomize)", read.Manifests[0].Source, StringComparison.Ordinal);
    }

    [Fact]
    public void AKustomizationKubectlCannotRenderIsAProblemNamingTheFolder()
    {
        using var folder = new TemporaryDirectory();
        File.WriteAllText(Path.Combine(folder.Path, "kustomization.yaml"), "resources: [missing.yaml]\n");

        var problem = Assert.Single(ManifestLoader.Load(folder.Path).Problems);

        Assert.Equal(folder.Path, problem.Source);
        Assert.StartsWith("kubectl kustomize failed", problem.Message, StringComparison.Ordinal);
    }
}
