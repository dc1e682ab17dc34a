namespace Stack.GitOps.Tests;

/// <summary>The drift check's comparison: every kind of difference is seen, and identical trees are equal.</summary>
public sealed class TreeDifferenceTests
{
    private static (string Committed, string Rendered) TwoTrees(TemporaryDirectory folder)
    {
        var committed = Path.Combine(folder.Path, "committed");
        var rendered = Path.Combine(folder.Path, "rendered");
        foreach (var root in (string[])[committed, rendered])
        {
            DeployTreeTests.Write(root, "base/kustomization.yaml", "resources: []\n");
            DeployTreeTests.Write(root, "overlays/dev/namespace.yaml", "name: stack-dev\n");
        }

        return (committed, rendered);
    }

    [Fact]
    public void IdenticalTreesShowNoDifference()
    {
        using var folder = new TemporaryDirectory();
        var (committed, rendered) = TwoTrees(folder);

        var difference = TreeDifference.Between(committed, rendered);

        Assert.True(difference.IsEmpty);
        Assert.Empty(difference.Describe());
    }

    [Fact]
    public void OneChangedByteIsAChange()
    {
        using var folder = new TemporaryDirectory();
        var (committed, rendered) = TwoTrees(folder);
        DeployTreeTests.Write(rendered, "overlays/dev/namespace.yaml", "name: stack-deV\n");

        var difference = TreeDifference.Between(committed, rendered);

        Assert.False(difference.IsEmpty);
        Assert.Equal(["overlays/dev/namespace.yaml"], difference.Changed);
        Assert.Empty(difference.Added);
        Assert.Empty(difference.Removed);
        Assert.Equal(["changed overlays/dev/namespace.yaml"], difference.Describe());
    }

    [Fact]
    public void AFileOnlyInTheRenderIsAddedAndOneOnlyInGitIsRemoved()
    {
        using var folder = new TemporaryDirectory();
        var (committed, rendered) = TwoTrees(folder);
        DeployTreeTests.Write(rendered, "base/cache/service.yaml", "kind: Service\n");
        File.Delete(Path.Combine(rendered, "base", "kustomization.yaml"));

        var difference = TreeDifference.Between(committed, rendered);

        Assert.Equal(["base/cache/service.yaml"], difference.Added);
        Assert.Equal(["base/kustomization.yaml"], difference.Removed);
        Assert.Empty(difference.Changed);
        Assert.Equal(["added   base/cache/service.yaml", "removed base/kustomization.yaml"], difference.Describe());
    }

    [Fact]
    public void AMissingCommittedTreeMakesEveryRenderedFileAdded()
    {
        using var folder = new TemporaryDirectory();
        var (_, rendered) = TwoTrees(folder);

        var difference = TreeDifference.Between(Path.Combine(folder.Path, "never-published"), rendered);

        Assert.Equal(["base/kustomization.yaml", "overlays/dev/namespace.yaml"], difference.Added);
    }

    [Fact]
    public void EachKindOfDifferenceAloneMakesTheTreesDifferAndIsListedInOrdinalOrder()
    {
        using var folder = new TemporaryDirectory();
        var (committed, rendered) = TwoTrees(folder);
        foreach (var name in (string[])["b.yaml", "a.yaml", "C.yaml"])
        {
            DeployTreeTests.Write(committed, $"gone/{name}", "x");
            DeployTreeTests.Write(committed, $"both/{name}", "old");
            DeployTreeTests.Write(rendered, $"both/{name}", "new");
        }

        var difference = TreeDifference.Between(committed, rendered);

        Assert.Equal(["both/C.yaml", "both/a.yaml", "both/b.yaml"], difference.Changed);
        Assert.Equal(["gone/C.yaml", "gone/a.yaml", "gone/b.yaml"], difference.Removed);
        Assert.False(new TreeDifference([], ["x"], []).IsEmpty);
        Assert.False(new TreeDifference([], [], ["x"]).IsEmpty);
        Assert.False(new TreeDifference(["x"], [], []).IsEmpty);
        Assert.True(new TreeDifference([], [], []).IsEmpty);
    }
}
