namespace Stack.GitOps.Tests;

/// <summary>Finding the checkout that repository paths (infra/deploy, infra/policies) are relative to.</summary>
public sealed class RepositoryRootTests
{
    [Theory]
    [InlineData("Stack.sln", false)]
    [InlineData(".git", true)]
    [InlineData(".git", false)]
    public void TheNearestFolderWithASolutionOrAGitCheckoutIsTheRoot(string marker, bool isFolder)
    {
        using var folder = new TemporaryDirectory();
        var root = Path.Combine(folder.Path, "repo");
        var nested = Path.Combine(root, "src", "AppHost");
        Directory.CreateDirectory(nested);
        if (isFolder)
        {
            Directory.CreateDirectory(Path.Combine(root, marker));
        }
        else
        {
            File.WriteAllText(Path.Combine(root, marker), "");
        }

        Assert.Equal(root, RepositoryRoot.Find(nested));
        Assert.Equal(root, RepositoryRoot.OfAppHost(nested));
    }

    [Fact]
    public void OutsideACheckoutThereIsNoRootAndAnAppHostUsesItsParent()
    {
        using var folder = new TemporaryDirectory();
        var appHost = Path.Combine(folder.Path, "AppHost");
        Directory.CreateDirectory(appHost);

        // The temporary folder lies under no checkout: the search reaches the file system's root.
        Assert.Null(RepositoryRoot.Find(appHost));
        Assert.Equal(folder.Path, RepositoryRoot.OfAppHost(appHost));
    }
}
