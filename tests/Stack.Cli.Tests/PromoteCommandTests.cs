using Stack.GitOps;

namespace Stack.Cli.Tests;

/// <summary>`stack promote` run as a real process on a copy of the committed GitOps tree.</summary>
public sealed class PromoteCommandTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);

    private static readonly string Committed = Path.Combine(Repository.Root, "infra", "deploy");

    private static Task<CommandLine.Result> StackAsync(string workingDirectory, params string[] args) =>
        CommandLine.RunAsync(workingDirectory, new Dictionary<string, string>(), Timeout, "dotnet", [Repository.Cli, .. args]);

    private static string CopyOfCommittedTree(TemporaryDirectory scratch)
    {
        var deploy = Path.Combine(scratch.Path, "deploy");
        TemporaryDirectory.CopyTree(Committed, deploy);
        return deploy;
    }

    [Fact]
    public async Task PromotingChangesOneLineOfThatEnvironmentOnly()
    {
        using var scratch = new TemporaryDirectory();
        var deploy = CopyOfCommittedTree(scratch);
        var staging = Path.Combine(deploy, "overlays", "staging", "images", "kustomization.yaml");
        var before = await File.ReadAllLinesAsync(staging, TestContext.Current.CancellationToken);

        var result = await StackAsync(scratch.Path, "promote", "staging", "leaderboard-api", "2026.11.26-4f2c9e1", "--deploy", deploy);

        Assert.True(result.ExitCode == 0, result.AllOutput);
        Assert.Contains("staging: ghcr.io/stack-games/leaderboard-api", result.StandardOutput);
        Assert.Contains("-> 2026.11.26-4f2c9e1", result.StandardOutput);
        var after = await File.ReadAllLinesAsync(staging, TestContext.Current.CancellationToken);
        Assert.Equal(before.Length, after.Length);
        Assert.Single(Enumerable.Range(0, before.Length), i => before[i] != after[i]);
        Assert.Equal("2026.11.26-4f2c9e1", ImagesComponent.Read(string.Join('\n', after))["ghcr.io/stack-games/leaderboard-api"]);

        // Nothing else of the tree changed: the other environments keep their tags.
        var committedDev = await File.ReadAllTextAsync(Path.Combine(Committed, "overlays", "dev", "images", "kustomization.yaml"), TestContext.Current.CancellationToken);
        Assert.Equal(committedDev, await File.ReadAllTextAsync(Path.Combine(deploy, "overlays", "dev", "images", "kustomization.yaml"), TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("qa", "leaderboard-api", "1.0.0", "no environment 'qa'")]
    [InlineData("prod", "payments-api", "1.0.0", "No image 'payments-api'")]
    [InlineData("prod", "leaderboard-api", "latest", "not a pinned image tag")]
    public async Task BadInputIsOneMessageAndExitCodeTwoAndWritesNothing(string environment, string image, string tag, string message)
    {
        using var scratch = new TemporaryDirectory();
        var deploy = CopyOfCommittedTree(scratch);

        var result = await StackAsync(scratch.Path, "promote", environment, image, tag, "--deploy", deploy);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("stack: ", result.StandardError);
        Assert.Contains(message, result.StandardError);
        Assert.DoesNotContain("   at ", result.StandardError);
        Assert.True(TreeDifference.Between(Committed, deploy).IsEmpty);
    }

    [Fact]
    public async Task PromotingARevisionMakesAnEnvironmentRunThatCommitWithOneLine()
    {
        using var scratch = new TemporaryDirectory();
        var deploy = CopyOfCommittedTree(scratch);
        var release = Path.Combine(deploy, "overlays", "prod", "release.yaml");
        File.Delete(release);
        const string first = "0123456789abcdef0123456789abcdef01234567";
        const string second = "89abcdef0123456789abcdef0123456789abcdef";

        // The first promotion creates the release file: from now on Argo CD deploys prod.
        var created = await StackAsync(scratch.Path, "promote", "prod", "--revision", first, "--deploy", deploy);
        Assert.True(created.ExitCode == 0, created.AllOutput);
        Assert.Contains($"prod: revision (none) -> {first}", created.StandardOutput);
        Assert.Equal(first, ReleaseFile.Read(await File.ReadAllTextAsync(release, TestContext.Current.CancellationToken)));

        var before = await File.ReadAllLinesAsync(release, TestContext.Current.CancellationToken);
        var moved = await StackAsync(scratch.Path, "promote", "prod", "--revision", second, "--deploy", deploy);
        Assert.True(moved.ExitCode == 0, moved.AllOutput);
        var after = await File.ReadAllLinesAsync(release, TestContext.Current.CancellationToken);
        Assert.Equal(before.Length, after.Length);
        Assert.Single(Enumerable.Range(0, before.Length), i => before[i] != after[i]);
        Assert.Equal(second, ReleaseFile.Read(string.Join('\n', after)));
    }

    [Theory]
    [InlineData("main", "is not a full commit id")]
    [InlineData("4f2c9e1", "is not a full commit id")]
    public async Task ARevisionThatIsNotAFullCommitIsRefusedAndWritesNothing(string revision, string message)
    {
        using var scratch = new TemporaryDirectory();
        var deploy = CopyOfCommittedTree(scratch);

        var result = await StackAsync(scratch.Path, "promote", "prod", "leaderboard-api", "2.0.0", "--revision", revision, "--deploy", deploy);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.StandardError);
        Assert.True(TreeDifference.Between(Committed, deploy).IsEmpty, "neither the tag nor the revision may change");
    }

    [Fact]
    public async Task PromoteWithNothingToPromoteSaysWhatToGive()
    {
        using var scratch = new TemporaryDirectory();

        var result = await StackAsync(scratch.Path, "promote", "prod", "--deploy", CopyOfCommittedTree(scratch));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("give an image and its tag", result.StandardError);
    }
}
