namespace Stack.GitOps.Tests;

/// <summary>Promotion changes one line of one environment's images component or release file, or nothing when the input is wrong.</summary>
public sealed class PromotionTests
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

        var result = Promotion.PromoteImage(tree, "prod", "leaderboard-api", "2026.11.29-1a2b3c4");

        Assert.True(result.Changed);
        Assert.Equal(("ghcr.io/stack-games/leaderboard-api", "0.1.0", "2026.11.29-1a2b3c4"), (result.Subject, result.Previous, result.Current));
        Assert.Equal(tree.ImagesComponent("prod"), result.File);
        Assert.Equal("2026.11.29-1a2b3c4", ImagesComponent.Read(File.ReadAllText(tree.ImagesComponent("prod")))["ghcr.io/stack-games/leaderboard-api"]);
        Assert.Equal("0.1.0", ImagesComponent.Read(File.ReadAllText(tree.ImagesComponent("dev")))["ghcr.io/stack-games/leaderboard-api"]);
    }

    [Fact]
    public void PromotingWithADigestReportsTagAndDigest()
    {
        using var folder = new TemporaryDirectory();
        var tree = TreeWithTwoEnvironments(folder);
        const string digest = "sha256:fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210";

        var result = Promotion.PromoteImage(tree, "prod", "leaderboard-api", "2026.11.29-1a2b3c4", digest);

        Assert.Equal(("0.1.0", $"2026.11.29-1a2b3c4@{digest}"), (result.Previous, result.Current));
        Assert.Equal(digest, ImagesComponent.ReadEntries(File.ReadAllText(tree.ImagesComponent("prod")))["ghcr.io/stack-games/leaderboard-api"].Digest);
    }

    [Fact]
    public void TheFirstRevisionPromotionMarksTheEnvironmentsNamespaceReleasedAndLaterOnesLeaveItAlone()
    {
        using var folder = new TemporaryDirectory();
        var tree = TreeWithTwoEnvironments(folder);
        DeployTreeTests.Write(folder.Path, "overlays/prod/namespace.yaml", "metadata:\n  labels:\n    stack.dev/environment: prod\n    stack.dev/released: \"false\"\n");

        Promotion.PromoteRevision(tree, "prod", "0123456789abcdef0123456789abcdef01234567");
        var released = File.ReadAllText(tree.Resolve(DeployTree.NamespaceFile("prod")));
        Promotion.PromoteRevision(tree, "prod", "89abcdef0123456789abcdef0123456789abcdef");

        Assert.Equal("metadata:\n  labels:\n    stack.dev/environment: prod\n    stack.dev/released: \"true\"\n", released);
        Assert.Equal(released, File.ReadAllText(tree.Resolve(DeployTree.NamespaceFile("prod"))));
    }

    [Fact]
    public void PromotingToTheCurrentTagChangesNothing()
    {
        using var folder = new TemporaryDirectory();
        var tree = TreeWithTwoEnvironments(folder);
        var before = File.GetLastWriteTimeUtc(tree.ImagesComponent("dev"));

        var result = Promotion.PromoteImage(tree, "dev", "ghcr.io/stack-games/leaderboard-api", "0.1.0");

        Assert.False(result.Changed);
        Assert.Equal(before, File.GetLastWriteTimeUtc(tree.ImagesComponent("dev")));
    }

    [Fact]
    public void AnUnknownEnvironmentIsRefusedNamingTheKnownOnes()
    {
        using var folder = new TemporaryDirectory();
        var tree = TreeWithTwoEnvironments(folder);

        var error = Assert.Throws<ArgumentException>(() => Promotion.PromoteImage(tree, "qa", "leaderboard-api", "1.0.0"));

        Assert.Equal($"no environment 'qa' in {tree.Root}; it has: dev, prod", error.Message);
    }

    [Fact]
    public void TheFirstRevisionPromotionCreatesTheReleaseFileAndLaterOnesChangeOneLine()
    {
        using var folder = new TemporaryDirectory();
        var tree = TreeWithTwoEnvironments(folder);
        const string first = "0123456789abcdef0123456789abcdef01234567";
        const string second = "fedcba9876543210fedcba9876543210fedcba98";

        var created = Promotion.PromoteRevision(tree, "prod", first);
        Assert.Equal(("revision", "", first, true), (created.Subject, created.Previous, created.Current, created.Changed));
        var before = File.ReadAllLines(created.File);

        var moved = Promotion.PromoteRevision(tree, "prod", second);
        var after = File.ReadAllLines(moved.File);

        Assert.Equal((first, second), (moved.Previous, moved.Current));
        Assert.Equal(before.Length, after.Length);
        Assert.Single(Enumerable.Range(0, before.Length), i => before[i] != after[i]);
        Assert.Equal(second, ReleaseFile.Read(File.ReadAllText(moved.File)));
        Assert.False(File.Exists(tree.Resolve(DeployTree.ReleaseFile("dev"))));
    }

    [Theory]
    [InlineData("main")]
    [InlineData("0123456")]
    [InlineData("0123456789ABCDEF0123456789ABCDEF01234567")]
    public void ARevisionThatIsNotAFullLowerCaseCommitIdIsRefusedAndNothingIsWritten(string revision)
    {
        using var folder = new TemporaryDirectory();
        var tree = TreeWithTwoEnvironments(folder);

        var error = Assert.Throws<ArgumentException>(() => Promotion.PromoteRevision(tree, "prod", revision));

        Assert.Contains("is not a full commit id", error.Message);
        Assert.False(File.Exists(tree.Resolve(DeployTree.ReleaseFile("prod"))));
    }

    [Fact]
    public void AReleaseFileNamesItsRevisionQuotedSoThatYamlKeepsItAString()
    {
        var file = ReleaseFile.Create("1234567890123456789012345678901234567890");

        Assert.Contains("revision: \"1234567890123456789012345678901234567890\"\n", file);
        Assert.Equal("1234567890123456789012345678901234567890", ReleaseFile.Read(file));
        Assert.Null(ReleaseFile.Read("# no revision here\n"));
    }

    [Fact]
    public void AnEnvironmentWithoutAnImagesComponentSaysToPublishFirst()
    {
        using var folder = new TemporaryDirectory();
        var tree = TreeWithTwoEnvironments(folder);
        File.Delete(tree.ImagesComponent("prod"));

        var error = Assert.Throws<ArgumentException>(() => Promotion.PromoteImage(tree, "prod", "leaderboard-api", "1.0.0"));

        Assert.StartsWith("environment 'prod' has no images component", error.Message);
        Assert.Contains("dotnet aspire publish", error.Message);
    }

    [Fact]
    public void ARevisionPromotionReportsTheRevisionItReplaced()
    {
        using var folder = new TemporaryDirectory();
        var tree = TreeWithTwoEnvironments(folder);
        DeployTreeTests.Write(folder.Path, "overlays/dev/release.yaml", ReleaseFile.Create("main"));

        var result = Promotion.PromoteRevision(tree, "dev", "0123456789abcdef0123456789abcdef01234567");

        Assert.Equal("main", result.Previous);
    }

    [Fact]
    public void AReleaseFileWithoutARevisionLineCannotBePromoted()
    {
        var error = Assert.Throws<ArgumentException>(() => ReleaseFile.Promote("# someone emptied this file\n", "0123456789abcdef0123456789abcdef01234567"));

        Assert.Equal("The release file has no revision line to change.", error.Message);
    }

    [Fact]
    public void NothingIsPromotedWithoutATreeOrARevision()
    {
        Assert.Throws<ArgumentNullException>(() => Promotion.PromoteImage(null!, "dev", "api", "1.0.0"));
        Assert.Throws<ArgumentNullException>(() => Promotion.PromoteRevision(null!, "dev", "0123456789abcdef0123456789abcdef01234567"));
        Assert.Throws<ArgumentException>(() => ReleaseFile.Create(""));
    }

    [Fact]
    public void WithoutATreeTheCallerIsToldWhichArgumentIsMissing()
    {
        Assert.Equal("tree", Assert.Throws<ArgumentNullException>(() => Promotion.PromoteImage(null!, "dev", "leaderboard-api", "1.0.0")).ParamName);
        Assert.Equal("tree", Assert.Throws<ArgumentNullException>(() => Promotion.ReadImages(null!, "dev")).ParamName);
    }
}
