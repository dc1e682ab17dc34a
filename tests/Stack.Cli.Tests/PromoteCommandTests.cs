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
}
