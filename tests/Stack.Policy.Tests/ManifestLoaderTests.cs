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
        Assert.StartsWith("not valid YAML: the YAML ends unexpectedly after this line (an unclosed bracket or quote?): ", problem.Message, StringComparison.Ordinal);
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
        Assert.Equal("no such file or folder", problem.Message);
        Assert.Equal("/no/such/manifests", problem.Location);
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

    [Theory]
    [InlineData("~", null)]
    [InlineData("null", null)]
    [InlineData("Null", null)]
    [InlineData("NULL", null)]
    [InlineData("", null)]
    [InlineData("!!null anything", null)]
    [InlineData("true", true)]
    [InlineData("True", true)]
    [InlineData("TRUE", true)]
    [InlineData("false", false)]
    [InlineData("False", false)]
    [InlineData("FALSE", false)]
    [InlineData("yes", "yes")]
    [InlineData("-42", -42L)]
    [InlineData("+7", 7L)]
    [InlineData("0x1F", 31L)]
    [InlineData("0o17", 15L)]
    [InlineData("0o10", 8L)]
    [InlineData("0o", "0o")]
    [InlineData("0o19", "0o19")]
    [InlineData("0xZZ", "0xZZ")]
    [InlineData("99999999999999999999", 1e20)]
    [InlineData("1.5", 1.5)]
    [InlineData("-2e3", -2000.0)]
    [InlineData(".5", 0.5)]
    [InlineData(".inf", double.PositiveInfinity)]
    [InlineData(".Inf", double.PositiveInfinity)]
    [InlineData(".INF", double.PositiveInfinity)]
    [InlineData("+.inf", double.PositiveInfinity)]
    [InlineData("+.Inf", double.PositiveInfinity)]
    [InlineData("+.INF", double.PositiveInfinity)]
    [InlineData("-.inf", double.NegativeInfinity)]
    [InlineData("-.Inf", double.NegativeInfinity)]
    [InlineData("-.INF", double.NegativeInfinity)]
    [InlineData(".nan", double.NaN)]
    [InlineData(".NaN", double.NaN)]
    [InlineData(".NAN", double.NaN)]
    [InlineData("1.2.3", "1.2.3")]
    [InlineData("'42'", "42")]
    [InlineData("\"true\"", "true")]
    [InlineData("!!str 42", "42")]
    [InlineData("!!int 42", 42L)]
    public void APlainScalarIsReadByTheYamlCoreSchemaAndAQuotedOneStaysAString(string scalar, object? expected)
    {
        var manifest = Assert.Single(ManifestLoader.Parse($"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: a}}\nvalue: {scalar}\n", "scalar.yaml").Manifests);

        Assert.Equal(expected, manifest.Content["value"]);
    }

    [Fact]
    public void MappingKeysAreTextWhateverTheirScalarType()
    {
        var manifest = Assert.Single(ManifestLoader.Parse("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {true: a, false: b, 8080: c, 1.5: d, ~: e}\n", "keys.yaml").Manifests);

        Assert.Equal(["true", "false", "8080", "1.5", "null"], ((Dictionary<string, object?>)manifest.Content["data"]!).Keys);
    }

    [Fact]
    public void AMappingKeyThatIsNotAScalarIsAProblem()
    {
        var problem = Assert.Single(ManifestLoader.Parse("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata:\n  ? [a, b]\n  : c\n", "keys.yaml").Problems);

        Assert.Equal("not valid YAML: a mapping key must be a scalar", problem.Message);
        Assert.Equal(5, problem.Line);
    }

    [Fact]
    public void AnchorsAndAliasesRepeatScalarsListsAndMaps()
    {
        var manifest = Assert.Single(ManifestLoader.Parse(
            """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: a}
            first:
              scalar: &s one
              list: &l [1, 2]
              map: &m {k: v}
            second:
              scalar: *s
              list: *l
              map: *m
            """, "anchors.yaml").Manifests);

        var second = (Dictionary<string, object?>)manifest.Content["second"]!;
        Assert.Equal("one", second["scalar"]);
        Assert.Equal([1L, 2L], (List<object?>)second["list"]!);
        Assert.Equal("v", ((Dictionary<string, object?>)second["map"]!)["k"]);
    }

    [Fact]
    public void AnAliasWithoutItsAnchorIsAProblem()
    {
        var problem = Assert.Single(ManifestLoader.Parse("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {k: *nowhere}\n", "alias.yaml").Problems);

        Assert.Equal("not valid YAML: unknown alias '*nowhere'", problem.Message);
        Assert.Equal(4, problem.Line);
    }

    [Fact]
    public void AYamlErrorIsWordedWithoutItsPositionSinceTheProblemHasTheLine()
    {
        var problem = Assert.Single(ManifestLoader.Parse("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n name: b\n", "indent.yaml").Problems);

        Assert.StartsWith("not valid YAML: ", problem.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("(Line:", problem.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Idx:", problem.Message, StringComparison.Ordinal);
        Assert.Equal($"indent.yaml:{problem.Line}", problem.Location);
    }

    [Fact]
    public void TheItemsOfAListAreJudgedAsObjectsOfTheirOwn()
    {
        var read = ManifestLoader.Parse(
            """
            apiVersion: v1
            kind: List
            items:
            - {apiVersion: v1, kind: ConfigMap, metadata: {name: one}}
            - {apiVersion: v1, kind: ConfigMap, metadata: {name: two}}
            - {name: not-an-object}
            """, "list.yaml");

        Assert.Equal(["one", "two"], read.Manifests.Select(manifest => manifest.Name));
        Assert.Contains("not a Kubernetes object", Assert.Single(read.Problems).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnEmptyListIsNoProblem()
    {
        var read = ManifestLoader.Parse("apiVersion: v1\nkind: List\n", "list.yaml");

        Assert.Empty(read.Manifests);
        Assert.Empty(read.Problems);
    }

    [Theory]
    [InlineData("apps/beta", "Deployment", "apiVersion 'apps/beta' is not an API version (expected v1, apps/v1, ...)")]
    [InlineData("version1", "Pod", "apiVersion 'version1' is not an API version (expected v1, apps/v1, ...)")]
    [InlineData("v", "Pod", "apiVersion 'v' is not an API version (expected v1, apps/v1, ...)")]
    [InlineData("apps/v1", "deployment", "kind 'deployment' is not a Kubernetes kind (expected a name such as Deployment)")]
    [InlineData("apps/v1", "Deploy-ment", "kind 'Deploy-ment' is not a Kubernetes kind (expected a name such as Deployment)")]
    [InlineData("v1", "", "kind '' is not a Kubernetes kind (expected a name such as Deployment)")]
    [InlineData("v1", "Pdo", "unknown kind 'Pdo' in the core API group: no policy would judge it")]
    public void ADocumentThatCannotBeAKubernetesObjectIsAProblemSayingWhy(string apiVersion, string kind, string message)
    {
        var problem = Assert.Single(ManifestLoader.Parse($"apiVersion: {apiVersion}\nkind: \"{kind}\"\nmetadata: {{name: a}}\n", "odd.yaml").Problems);

        Assert.Equal(message, problem.Message);
    }

    [Theory]
    [InlineData("v1", "ConfigMap")]
    [InlineData("apps/v1beta2", "Deployment")]
    [InlineData("argoproj.io/v1alpha1", "Rollout")]
    [InlineData("example.com/v2", "Widget2")]
    public void AKnownOrCustomKindIsRead(string apiVersion, string kind)
    {
        var read = ManifestLoader.Parse($"apiVersion: {apiVersion}\nkind: {kind}\nmetadata: {{name: a}}\n", "ok.yaml");

        Assert.Empty(read.Problems);
        Assert.Equal(kind, Assert.Single(read.Manifests).Kind);
    }

    [Fact]
    public void NullIsRefusedWhereTextOrPathsAreExpected()
    {
        Assert.Throws<ArgumentNullException>(() => ManifestLoader.Load((IEnumerable<string>)null!));
        Assert.Throws<ArgumentNullException>(() => ManifestLoader.Load((string)null!));
        Assert.Throws<ArgumentException>(() => ManifestLoader.Load(""));
        Assert.Throws<ArgumentNullException>(() => ManifestLoader.Parse(null!, "a.yaml"));
        Assert.Throws<ArgumentNullException>(() => ManifestLoader.Parse("apiVersion: v1\nkind: ConfigMap\n", null!));
    }

    [Fact]
    public void AnObjectWithoutANameHasAnEmptyOne()
    {
        var manifest = Assert.Single(ManifestLoader.Parse("apiVersion: v1\nkind: ConfigMap\n", "nameless.yaml").Manifests);

        Assert.Equal(("", null, "ConfigMap/"), (manifest.Name, manifest.Namespace, manifest.DisplayName));
        Assert.Equal(("", "v1"), (manifest.Group, manifest.Version));
    }

    [Fact]
    public void TheFilesOfAFolderAreReadInTheOrderOfTheirNamesBeforeItsSubfolders()
    {
        using var folder = new TemporaryDirectory();
        Directory.CreateDirectory(Path.Combine(folder.Path, "a-folder"));
        File.WriteAllText(Path.Combine(folder.Path, "a-folder", "first.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: in-folder}\n");
        File.WriteAllText(Path.Combine(folder.Path, "b.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n");
        File.WriteAllText(Path.Combine(folder.Path, "a.yml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n");
        File.WriteAllText(Path.Combine(folder.Path, "c.YAML"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n");
        Directory.CreateDirectory(Path.Combine(folder.Path, ".hidden"));
        File.WriteAllText(Path.Combine(folder.Path, ".hidden", "x.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: hidden}\n");

        var read = ManifestLoader.Load([folder.Path, Path.Combine(folder.Path, "b.yaml")]);

        Assert.Equal(["a", "b", "c", "in-folder", "b"], read.Manifests.Select(manifest => manifest.Name));
    }
}
