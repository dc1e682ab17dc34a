namespace Stack.GitOps.Tests;

/// <summary>A publish replaces the tree as a whole, or not at all.</summary>
public sealed class StagedTreeTests
{
    private static RenderedTree Files(params (string Path, string Content)[] files)
    {
        var tree = new RenderedTree();
        foreach (var (path, content) in files)
        {
            tree.Add(path, content);
        }

        return tree;
    }

    [Fact]
    public void SwappingInReplacesTheWholeTreeAndLeavesNoStagingFolder()
    {
        using var folder = new TemporaryDirectory();
        var target = Path.Combine(folder.Path, "deploy");
        DeployTreeTests.Write(target, "base/old.yaml", "old");

        using (var staged = StagedTree.Write(target, Files(("base/new.yaml", "new\r\nline"))))
        {
            Assert.False(File.Exists(Path.Combine(target, "base", "new.yaml")), "nothing reaches the target before the swap");
            staged.SwapIn();
        }

        Assert.False(File.Exists(Path.Combine(target, "base", "old.yaml")));
        Assert.Equal("new\nline", File.ReadAllText(Path.Combine(target, "base", "new.yaml")));
        Assert.Equal(["deploy"], Directory.GetFileSystemEntries(folder.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void AStagedTreeThatIsNotSwappedInLeavesTheOldTreeExactlyAsItWas()
    {
        using var folder = new TemporaryDirectory();
        var target = Path.Combine(folder.Path, "deploy");
        DeployTreeTests.Write(target, "base/old.yaml", "old");

        using (var staged = StagedTree.Write(target, Files(("base/new.yaml", "new"))))
        {
            Assert.True(File.Exists(Path.Combine(staged.Path, "base", "new.yaml")));
        }

        Assert.True(TreeDifference.Between(target, target).IsEmpty);
        Assert.Equal("old", File.ReadAllText(Path.Combine(target, "base", "old.yaml")));
        Assert.Equal(["deploy"], Directory.GetFileSystemEntries(folder.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void AMissingTargetIsCreatedBySwappingIn()
    {
        using var folder = new TemporaryDirectory();
        var target = Path.Combine(folder.Path, "nested", "deploy");

        using (var staged = StagedTree.Write(target, Files(("argocd/bootstrap.yaml", "app"))))
        {
            staged.SwapIn();
        }

        Assert.Equal("app", File.ReadAllText(Path.Combine(target, "argocd", "bootstrap.yaml")));
    }

    [Fact]
    public void TwoFilesCannotShareAPath()
    {
        var tree = Files(("base/a.yaml", "1"));
        var error = Assert.Throws<InvalidOperationException>(() => tree.Add("base/a.yaml", "2"));
        Assert.Contains("base/a.yaml", error.Message);
    }

    [Fact]
    public void AStagedTreeSwapsInOnceAndNotAfterItWasDisposed()
    {
        using var folder = new TemporaryDirectory();
        var target = Path.Combine(folder.Path, "deploy");
        var staged = StagedTree.Write(target, Files(("a.yaml", "1")));
        staged.SwapIn();

        Assert.Throws<ObjectDisposedException>(staged.SwapIn);

        var discarded = StagedTree.Write(target, Files(("a.yaml", "2")));
        discarded.Dispose();
        Assert.Throws<ObjectDisposedException>(discarded.SwapIn);
        Assert.Equal("1", File.ReadAllText(Path.Combine(target, "a.yaml")));
    }

    [Fact]
    public void FilesAreWrittenAsUtf8WithoutAByteOrderMark()
    {
        using var folder = new TemporaryDirectory();
        using var staged = StagedTree.Write(Path.Combine(folder.Path, "deploy"), Files(("a.yaml", "name: café")));

        Assert.Equal("name: café"u8.ToArray(), File.ReadAllBytes(Path.Combine(staged.Path, "a.yaml")));
    }

    [Fact]
    public void AFailedWriteLeavesNoStagingFolderBehind()
    {
        using var folder = new TemporaryDirectory();
        var target = Path.Combine(folder.Path, "deploy");

        // A file and a folder cannot share a path: the second write fails half-way.
        Assert.ThrowsAny<IOException>(() => StagedTree.Write(target, Files(("a", "file"), ("a/b.yaml", "under a file"))));

        Assert.Empty(Directory.GetFileSystemEntries(folder.Path));
    }

    [Fact]
    public void NullFilesAreRefused() => Assert.Throws<ArgumentNullException>(() => StagedTree.Write("deploy", null!));

    [Fact]
    public void AnEmptyTreeSwapsInAsAnEmptyFolder()
    {
        using var folder = new TemporaryDirectory();
        var target = Path.Combine(folder.Path, "nested", "deploy");
        DeployTreeTests.Write(target, "old.yaml", "old");

        using (var staged = StagedTree.Write(target, new RenderedTree()))
        {
            staged.SwapIn();
        }

        Assert.Empty(Directory.GetFileSystemEntries(target));
    }
}
