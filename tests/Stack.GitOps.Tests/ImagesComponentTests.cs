namespace Stack.GitOps.Tests;

/// <summary>Promotion edits one line of an environment's images component and refuses what is not a pinned tag.</summary>
public sealed class ImagesComponentTests
{
    private static readonly string Component = ImagesComponent.Create([("ghcr.io/stack-games/leaderboard-api", "0.1.0"), ("ghcr.io/stack-games/stats", "0.1.0")]);

    [Fact]
    public void PromotingChangesExactlyOneLine()
    {
        var promoted = ImagesComponent.Promote(Component, "leaderboard-api", "1.4.2");

        var before = Component.Split('\n');
        var after = promoted.Split('\n');
        Assert.Equal(before.Length, after.Length);
        var changed = Assert.Single(Enumerable.Range(0, before.Length), i => before[i] != after[i]);
        Assert.Equal("  - {name: ghcr.io/stack-games/leaderboard-api, newTag: \"1.4.2\"}", after[changed]);
        Assert.Equal("1.4.2", ImagesComponent.Read(promoted)["ghcr.io/stack-games/leaderboard-api"]);
        Assert.Equal("0.1.0", ImagesComponent.Read(promoted)["ghcr.io/stack-games/stats"]);
    }

    [Fact]
    public void PromotingWithADigestStillChangesOneLineAndKustomizeReadsTagAndDigest()
    {
        const string digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
        var promoted = ImagesComponent.Promote(Component, "leaderboard-api", "1.4.2", digest);

        var before = Component.Split('\n');
        var after = promoted.Split('\n');
        Assert.Equal(before.Length, after.Length);
        var changed = Assert.Single(Enumerable.Range(0, before.Length), i => before[i] != after[i]);
        Assert.Equal($"  - {{name: ghcr.io/stack-games/leaderboard-api, newTag: \"1.4.2\", digest: {digest}}}", after[changed]);
        Assert.Equal(new ImagesComponent.Entry("ghcr.io/stack-games/leaderboard-api", "1.4.2", digest), ImagesComponent.ReadEntries(promoted)["ghcr.io/stack-games/leaderboard-api"]);

        // A later tag without a digest drops the old digest: it belonged to another build.
        var retagged = ImagesComponent.Promote(promoted, "leaderboard-api", "1.4.3");
        Assert.Null(ImagesComponent.ReadEntries(retagged)["ghcr.io/stack-games/leaderboard-api"].Digest);
    }

    [Fact]
    public void TheOlderBlockFormGainsADigestLineUnderItsTag()
    {
        const string digest = "sha256:89abcdef0123456789abcdef0123456789abcdef0123456789abcdef01234567";
        const string block = "images:\n  - name: ghcr.io/stack-games/leaderboard-api\n    newTag: \"0.1.0\"\n  - name: ghcr.io/stack-games/stats\n    newTag: \"0.1.0\"\n";

        var promoted = ImagesComponent.Promote(block, "leaderboard-api", "1.0.0", digest);

        Assert.Contains($"    newTag: \"1.0.0\"\n    digest: {digest}\n  - name: ghcr.io/stack-games/stats", promoted);
        Assert.Equal("1.0.0@" + digest, ImagesComponent.ReadEntries(promoted)["ghcr.io/stack-games/leaderboard-api"].Pin);
        Assert.Null(ImagesComponent.ReadEntries(promoted)["ghcr.io/stack-games/stats"].Digest);
    }

    [Theory]
    [InlineData("latest")]
    [InlineData("")]
    [InlineData("-dash-first")]
    [InlineData("has space")]
    public void AnythingButAPinnedTagIsRefused(string tag)
    {
        var error = Assert.Throws<ArgumentException>(() => ImagesComponent.Promote(Component, "leaderboard-api", tag));
        Assert.Contains("not a pinned image tag", error.Message);
    }

    [Fact]
    public void AnUnknownImageIsRefusedNamingTheKnownOnes()
    {
        var error = Assert.Throws<ArgumentException>(() => ImagesComponent.Promote(Component, "payments", "1.0.0"));
        Assert.Equal("No image 'payments' in this environment; it lists: ghcr.io/stack-games/leaderboard-api, ghcr.io/stack-games/stats.", error.Message);
    }

    [Fact]
    public void AddingMissingImagesLeavesListedOnesAlone()
    {
        var promoted = ImagesComponent.Promote(Component, "stats", "9.9.9");

        Assert.Same(promoted, ImagesComponent.AddMissing(promoted, [("ghcr.io/stack-games/stats", "0.1.0")]));
        var extended = ImagesComponent.AddMissing(promoted, [("ghcr.io/stack-games/stats", "0.1.0"), ("ghcr.io/stack-games/chat", "0.1.0")]);
        Assert.StartsWith(promoted, extended);
        Assert.Equal("9.9.9", ImagesComponent.Read(extended)["ghcr.io/stack-games/stats"]);
        Assert.Equal("0.1.0", ImagesComponent.Read(extended)["ghcr.io/stack-games/chat"]);
    }

    [Fact]
    public void AnEnvironmentWithoutImagesOfOursListsNoneAndCanGrow()
    {
        var empty = ImagesComponent.Create([]);

        Assert.Contains("\nimages: []\n", empty);
        Assert.Empty(ImagesComponent.Read(empty));
        var grown = ImagesComponent.AddMissing(empty, [("ghcr.io/stack-games/chat", "0.1.0")]);
        Assert.DoesNotContain("[]", grown);
        Assert.Equal("0.1.0", ImagesComponent.Read(grown)["ghcr.io/stack-games/chat"]);
    }

    [Fact]
    public void AnImageNamedByASegmentSeveralImagesShareMustBeGivenInFull()
    {
        var component = ImagesComponent.Create([("ghcr.io/stack-games/api", "1"), ("docker.io/other/api", "2")]);

        var error = Assert.Throws<ArgumentException>(() => ImagesComponent.Promote(component, "api", "3"));

        Assert.Equal("'api' matches several images (docker.io/other/api, ghcr.io/stack-games/api); give the full name.", error.Message);
        Assert.Equal("3", ImagesComponent.Read(ImagesComponent.Promote(component, "docker.io/other/api", "3"))["docker.io/other/api"]);
    }

    [Fact]
    public void AnEnvironmentWithoutImagesSaysItListsNone()
    {
        var error = Assert.Throws<ArgumentException>(() => ImagesComponent.Promote(ImagesComponent.Create([]), "api", "1.0.0"));

        Assert.Equal("No image 'api' in this environment; it lists: none.", error.Message);
    }

    private const string OldDigest = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
    private const string NewDigest = "sha256:2222222222222222222222222222222222222222222222222222222222222222";

    [Theory]
    [InlineData("sha256:abc")]
    [InlineData("sha512:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef")]
    public void AnythingButASha256DigestIsRefused(string digest)
    {
        var error = Assert.Throws<ArgumentException>(() => ImagesComponent.Promote(Component, "leaderboard-api", "1.0.0", digest));

        Assert.Equal($"'{digest}' is not an image digest: give sha256:<64 hex digits>.", error.Message);
    }

    [Fact]
    public void InTheBlockFormANewDigestReplacesTheOldOneAndNoDigestRemovesIt()
    {
        var block = $"images:\n  - name: ghcr.io/stack-games/leaderboard-api\n    newTag: \"1.0.0\"\n    digest: {OldDigest}\n";

        var redigested = ImagesComponent.Promote(block, "leaderboard-api", "1.1.0", NewDigest);
        var untagged = ImagesComponent.Promote(block, "leaderboard-api", "1.1.0");

        Assert.Equal($"images:\n  - name: ghcr.io/stack-games/leaderboard-api\n    newTag: \"1.1.0\"\n    digest: {NewDigest}\n", redigested);
        Assert.Equal("images:\n  - name: ghcr.io/stack-games/leaderboard-api\n    newTag: \"1.1.0\"\n", untagged);
    }

    [Fact]
    public void InTheBlockFormOnlyThePromotedImagesLinesChange()
    {
        // Digests on both sides of the promoted entry: neither neighbour's may be taken for its own.
        var block = "images:\n"
            + $"  - name: ghcr.io/stack-games/chat\n    newTag: \"1\"\n    digest: {OldDigest}\n"
            + "  - name: ghcr.io/stack-games/leaderboard-api\n    newTag: \"1.0.0\"\n"
            + $"  - name: ghcr.io/stack-games/stats\n    newTag: \"2\"\n    digest: {OldDigest}\n";

        var promoted = ImagesComponent.Promote(block, "leaderboard-api", "1.1.0");

        Assert.Equal(block.Replace("newTag: \"1.0.0\"", "newTag: \"1.1.0\"", StringComparison.Ordinal), promoted);
    }

    [Fact]
    public void TheLastEntryOfAFileWithoutAFinalNewlineIsPromoted()
    {
        const string block = "images:\n  - name: ghcr.io/stack-games/leaderboard-api\n    newTag: \"1.0.0\"";

        var promoted = ImagesComponent.Promote(block, "leaderboard-api", "1.1.0", NewDigest);

        Assert.Equal($"images:\n  - name: ghcr.io/stack-games/leaderboard-api\n    newTag: \"1.1.0\"\n    digest: {NewDigest}", promoted);
    }

    [Fact]
    public void ANameWithoutATagIsNoEntryAndTheListedOneIsPromoted()
    {
        const string content = "images:\n  - name: ghcr.io/stack-games/leaderboard-api\n  - {name: ghcr.io/stack-games/leaderboard-api, newTag: \"1.0.0\"}\n";

        var promoted = ImagesComponent.Promote(content, "leaderboard-api", "1.1.0");

        Assert.Equal("images:\n  - name: ghcr.io/stack-games/leaderboard-api\n  - {name: ghcr.io/stack-games/leaderboard-api, newTag: \"1.1.0\"}\n", promoted);
    }

    [Fact]
    public void ASegmentMatchesWholePathSegmentsOnly()
    {
        var component = ImagesComponent.Create([("ghcr.io/stack-games/api", "1"), ("ghcr.io/stack-games/game-api", "1")]);

        Assert.Equal("ghcr.io/stack-games/api", ImagesComponent.Resolve(component, "api"));
    }
}
