using Stack.Dspy.Evaluation;
using Stack.Dspy.Models;

namespace Leaderboard.Recaps.Tests;

/// <summary>
/// Compiling the recap program offline on the committed dev set and recorded replies. The expected
/// scores are worked out by hand from the files: before compiling, two of the three dev replies
/// each fail one of the metric's six checks (an invented "500", an unknown @sage); the teacher's
/// train replies pass for speedrun, arena and tetra and fail for daily-puzzle (an invented "10");
/// after compiling, every dev reply passes.
/// </summary>
public sealed class RecapCompilerTests
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private static string Committed(string file) => Path.Combine(RepositoryCheckout.Root, RecapProgram.SourceFolder, file);

    private static Task<RecapCompilation> CompileCommittedAsync() => RecapCompiler.CompileAsync(
        ReplayChatClient.Load(Committed(RecapProgram.RepliesFile)),
        DevSet.Load<PeriodDigest, Recap>(Committed(RecapProgram.DevSetFile)),
        Cancellation);

    [Fact]
    public async Task TheMetricIsScoredBeforeAndAfterOnTheDevSplit()
    {
        var compilation = await CompileCommittedAsync();

        Assert.Equal([5.0 / 6, 5.0 / 6, 1.0], compilation.Before.Results.Select(r => r.Score));
        Assert.Equal([1.0, 1.0, 1.0], compilation.After.Results.Select(r => r.Score));
        Assert.Equal(new Stack.Dspy.Optimizers.CompiledMetric("recap-faithfulness", 0.889, 1.0), compilation.Program.Metric);
    }

    [Fact]
    public async Task OnlyTeacherRecapsThatPassBecomeDemonstrations()
    {
        var compilation = await CompileCommittedAsync();

        Assert.Equal(["speedrun", "arena", "tetra"], compilation.Program.Demos.Select(d => d.Input.Board));
        Assert.All(compilation.Program.Demos, demo => Assert.True(new RecapFaithfulness().Judge(demo.Input, demo.Output).Passed));
        Assert.All(compilation.Program.Demos, demo => Assert.False(string.IsNullOrEmpty(demo.Reasoning)));
    }

    [Fact]
    public async Task CompilingAgainGivesTheCommittedProgramByteForByte()
    {
        var compilation = await CompileCommittedAsync();

        Assert.Equal(await File.ReadAllTextAsync(Committed(RecapProgram.CompiledFile), Cancellation), compilation.Program.ToJson() + "\n");
    }

    [Fact]
    public async Task ADevSetWithoutBothSplitsIsRefused()
    {
        var trainOnly = DevSet.Load<PeriodDigest, Recap>(Committed(RecapProgram.DevSetFile)).Where(e => e.Split == Example.Train).ToList();

        var refusal = await Assert.ThrowsAsync<ArgumentException>(() => RecapCompiler.CompileAsync(new ReplayChatClient([]), trainOnly, Cancellation));
        Assert.Contains("0 dev", refusal.Message, StringComparison.Ordinal);
    }
}
