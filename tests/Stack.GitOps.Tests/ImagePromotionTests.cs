namespace Stack.GitOps.Tests;

/// <summary>Promotion changes the one environment's images component, or nothing when the input is wrong.</summary>
public sealed class ImagePromotionTests
{
    private static DeployTree TreeWithTwoEnvironments(TemporaryDirectory folder)
    {
        var images = ImagesComponent.Create([("ghcr.io/stack-games/leaderboard-api", "0.1.0")]);
        DeployTreeTests.Write(folder.Path, "overlays/dev/images/kustomization.yaml", images);
        DeployTreeTests.Write(folder.Path, "overlays/prod/images/kustomization.yaml", images);
        return new DeployTree(folder.Path);
    }

    [Fact]
    public void PromotingWritesTheTagToThatEnvironmentOnly()
    {
        using var folder = new TemporaryDirectory();
        var tree = TreeWithTwoEnvironments(folder);

        var result = ImagePromotion.Promote(tree, "prod", "leaderboard-api", "2026.11.29-1a2b3c4");

        Assert.True(result.Changed);
        Assert.Equal(("ghcr.io/stack-games/leaderboard-api", "0.1.0", "2026.11.29-1a2b3c4"), (result.Image, result.PreviousTag, result.Tag));
        Assert.Equal(tree.ImagesComponent("prod"), result.File);
        Assert.Equal("2026.11.29-1a2b3c4", ImagesComponent.Read(File.ReadAllText(tree.ImagesComponent("prod")))["ghcr.io/stack-games/leaderboard-api"]);
        Assert.Equal("0.1.0", ImagesComponent.Read(File.ReadAllText(tree.ImagesComponent("dev")))["ghcr.io/stack-games/leaderboard-api"]);
    }

    [Fact]
    public void PromotingToTheCurrentTagChangesNothing()
    {
        using var folder = new TemporaryDirectory();
        var tree = TreeWithTwoEnvironments(folder);
        var before = File.GetLastWriteTimeUtc(tree.ImagesComponent("dev"));

        var result = ImagePromotion.Promote(tree, "dev", "ghcr.io/stack-games/leaderboard-api", "0.1.0");

        Assert.False(result.Changed);
        Assert.Equal(before, File.GetLastWriteTimeUtc(tree.ImagesComponent("dev")));
    }

    [Fact]
    public void AnUnknownEnvironmentIsRefusedNamingTheKnownOnes()
    {
        using var folder = new TemporaryDirectory();
        var tree = TreeWithTwoEnvironments(folder);

        var error = Assert.Throws<ArgumentException>(() => ImagePromotion.Promote(tree, "qa", "leaderboard-api", "1.0.0"));

        Assert.Equal($"no environment 'qa' in {tree.Root}; it has: dev, prod", error.Message);
    }
}
