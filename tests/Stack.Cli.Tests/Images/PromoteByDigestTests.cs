using Stack.GitOps;

namespace Stack.Cli.Tests.Images;

/// <summary>`stack promote ... --key` on a copy of the committed tree: it writes the digest it verified, or nothing.</summary>
public sealed class PromoteByDigestTests(LocalRegistry registry) : IClassFixture<LocalRegistry>, IDisposable
{
    private static readonly string Committed = Path.Combine(Repository.Root, "infra", "deploy");
    private readonly TemporaryDirectory _scratch = new();

    private string Deploy => Path.Combine(_scratch.Path, "deploy");

    private string Keys => Path.Combine(_scratch.Path, "keys");

    public void Dispose() => _scratch.Dispose();

    private async Task<string> SignedImageAsync(string tag)
    {
        TemporaryDirectory.CopyTree(Committed, Deploy);
        Assert.Equal(0, (await ImageSigningTests.StackAsync("image", "keygen", "--output", Keys)).ExitCode);
        var image = await registry.PushImageAsync("stack-games/leaderboard-api", tag);
        Assert.Equal(0, (await ImageSigningTests.StackAsync("image", "sign", image, "--key", Path.Combine(Keys, "cosign.key"))).ExitCode);
        return image;
    }

    private Task<CommandLine.Result> PromoteAsync(string tag, string registryPath) => ImageSigningTests.StackAsync(
        "promote", "staging", "leaderboard-api", tag, "--deploy", Deploy, "--registry", registryPath, "--key", Path.Combine(Keys, "cosign.pub"));

    [Fact]
    public async Task PromotingAVerifiedImageWritesItsTagAndDigestInOneLine()
    {
        await SignedImageAsync("2026.11.29-4f2c9e1");
        var digest = await registry.DigestAsync("stack-games/leaderboard-api", "2026.11.29-4f2c9e1");
        var file = Path.Combine(Deploy, "overlays", "staging", "images", "kustomization.yaml");
        var before = await File.ReadAllLinesAsync(file, TestContext.Current.CancellationToken);

        var result = await PromoteAsync("2026.11.29-4f2c9e1", $"{registry.Host}/stack-games");

        Assert.True(result.ExitCode == 0, result.AllOutput);
        var after = await File.ReadAllLinesAsync(file, TestContext.Current.CancellationToken);
        Assert.Equal(before.Length, after.Length);
        var changed = Assert.Single(Enumerable.Range(0, before.Length), i => before[i] != after[i]);
        Assert.Equal($"  - {{name: ghcr.io/stack-games/leaderboard-api, newTag: \"2026.11.29-4f2c9e1\", digest: {digest}}}", after[changed]);
        Assert.Equal(
            ["overlays/staging/images/kustomization.yaml"],
            TreeDifference.Between(Committed, Deploy).Changed);
    }

    [Fact]
    public async Task AnUnsignedImageIsRefusedAndTheOverlaysStayAsTheyWere()
    {
        await SignedImageAsync("1.0.0");
        await registry.PushImageAsync("stack-games/leaderboard-api", "1.0.1-unsigned");

        var result = await PromoteAsync("1.0.1-unsigned", $"{registry.Host}/stack-games");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("no signature for", result.StandardError);
        Assert.True(TreeDifference.Between(Committed, Deploy).IsEmpty);
    }

    [Fact]
    public async Task ARegistryThatIsDownIsOneSentenceAndTheOverlaysStayAsTheyWere()
    {
        await SignedImageAsync("1.0.0");

        var result = await PromoteAsync("1.0.0", $"{LocalRegistry.Down}/stack-games");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"stack: registry at {LocalRegistry.Down} is not reachable (Connection refused)", result.StandardError.Trim());
        Assert.True(TreeDifference.Between(Committed, Deploy).IsEmpty);
    }
}
