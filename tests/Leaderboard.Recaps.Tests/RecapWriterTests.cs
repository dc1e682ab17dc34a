using System.Text.Json;
using System.Text.Json.Nodes;
using Stack.Dspy.Models;
using Stack.Dspy.Modules;
using Stack.Dspy.Optimizers;

namespace Leaderboard.Recaps.Tests;

/// <summary>The recap stage at run time, on recorded replies: only a recap that passes the metric is published.</summary>
public sealed class RecapWriterTests
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private static readonly CompiledProgram<PeriodDigest, Recap> Program = RecapProgram.LoadShipped();

    private static RecapWriter WriterReplying(params string[] replies) =>
        new(new ReplayChatClient(replies.Select(reply => (JsonNode.Parse(StructuredOutput.Serialize(Digests.Arena))!, reply))), Program);

    private static string Reply(Recap recap) =>
        StructuredOutput.SerializeWithReasoning(recap, "from the digest");

    [Fact]
    public async Task AFaithfulRecapIsPublished()
    {
        var outcome = await WriterReplying(Reply(Digests.Faithful)).WriteAsync(Digests.Arena, Cancellation);

        Assert.True(outcome.Published);
        Assert.Equal(Digests.Faithful, outcome.Recap);
        Assert.Empty(outcome.Problems);
    }

    [Fact]
    public async Task ARecapThatFailsTheMetricIsNeverPublished()
    {
        var invented = Digests.Faithful with { Highlights = ["About 9000 players."] };

        var outcome = await WriterReplying(Reply(invented)).WriteAsync(Digests.Arena, Cancellation);

        Assert.False(outcome.Published);
        Assert.Null(outcome.Recap);
        Assert.Contains("9000", Assert.Single(outcome.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARecapTheModelNeverShapedIsNotPublished()
    {
        var outcome = await WriterReplying("no", "{\"headline\": 3}", "[]").WriteAsync(Digests.Arena, Cancellation);

        Assert.False(outcome.Published);
        Assert.Contains("No reply of 3", Assert.Single(outcome.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public void TheShippedProgramIsTheCommittedOneOfTheRecapSignature()
    {
        var committed = Path.Combine(RepositoryCheckout.Root, RecapProgram.SourceFolder, RecapProgram.CompiledFile);

        Assert.Equal(File.ReadAllText(committed), Program.ToJson() + "\n");
        Assert.Equal("PeriodDigest -> Recap", Program.Signature);
        Assert.True(Program.WithReasoning);
        Assert.InRange(Program.Demos.Count, 1, RecapCompiler.MaxDemos);
        _ = JsonDocument.Parse(File.ReadAllText(committed));
    }
}
