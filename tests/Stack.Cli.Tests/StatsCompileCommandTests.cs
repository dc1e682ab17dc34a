namespace Stack.Cli.Tests;

/// <summary>`stack stats compile` run as a real process, offline on the committed recorded replies.</summary>
public sealed class StatsCompileCommandTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);

    private static readonly string Recaps = Path.Combine(Repository.Root, "src", "Leaderboard.Recaps");

    // No model from the machine running the tests: the variable is set, empty.
    private static readonly Dictionary<string, string> NoModel = new() { ["ConnectionStrings__recap-model"] = string.Empty };

    private static Task<CommandLine.Result> StackAsync(string workingDirectory, Dictionary<string, string> environment, params string[] args) =>
        CommandLine.RunAsync(workingDirectory, environment, Timeout, "dotnet", [Repository.Cli, .. args]);

    [Fact]
    public async Task CompilingOnRecordedRepliesPrintsTheMetricBeforeAndAfterAndWritesTheCommittedProgram()
    {
        using var scratch = new TemporaryDirectory();
        var output = Path.Combine(scratch.Path, "recap-program.json");

        var result = await StackAsync(Repository.Root, NoModel, "stats", "compile", "--replay", Path.Combine(Recaps, "recap-replies.jsonl"), "--out", output);

        Assert.True(result.ExitCode == 0, result.AllOutput);
        Assert.Contains("before: recap-faithfulness 0.889 (1/3 passed)", result.StandardOutput);
        Assert.Contains("after:  recap-faithfulness 1.000 (3/3 passed)", result.StandardOutput);
        Assert.Contains("(3 demonstrations)", result.StandardOutput);
        Assert.Equal(
            await File.ReadAllTextAsync(Path.Combine(Recaps, "recap-program.json"), TestContext.Current.CancellationToken),
            await File.ReadAllTextAsync(output, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task WithoutAModelItSaysSoInOneLineAndExitsTwo()
    {
        using var scratch = new TemporaryDirectory();
        var output = Path.Combine(scratch.Path, "recap-program.json");

        var result = await StackAsync(Repository.Root, NoModel, "stats", "compile", "--out", output);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("stack: no model is configured", result.StandardError);
        Assert.Single(result.StandardError.Trim().Split('\n'));
        Assert.False(File.Exists(output));
    }

    [Theory]
    [InlineData("Model=llama3.2;Key=sk-never-printed", "needs Endpoint", 2)]
    [InlineData("Endpoint=http://127.0.0.1:9/v1;Model=x;Key=sk-never-printed", "the model x at http://127.0.0.1:9/v1 did not answer", 3)]
    public async Task AnUnusableModelIsOneLineWithoutItsKeyAndANonZeroExit(string connectionString, string reason, int exitCode)
    {
        using var scratch = new TemporaryDirectory();
        var environment = new Dictionary<string, string> { ["ConnectionStrings__recap-model"] = connectionString };

        var result = await StackAsync(Repository.Root, environment, "stats", "compile", "--out", Path.Combine(scratch.Path, "p.json"));

        Assert.Equal(exitCode, result.ExitCode);
        Assert.StartsWith("stack: ", result.StandardError);
        Assert.Single(result.StandardError.Trim().Split('\n'));
        Assert.Contains(reason, result.StandardError);
        Assert.DoesNotContain("sk-never-printed", result.AllOutput);
        Assert.DoesNotContain("   at ", result.StandardError);
    }
}
