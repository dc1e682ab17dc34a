using System.Text.Json.Nodes;
using Stack.Dspy.Evaluation;
using Stack.Dspy.Models;
using Stack.Dspy.Modules;
using Stack.Dspy.Optimizers;

namespace Stack.Dspy.Tests;

public sealed class CompiledProgramTests
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ACompiledProgramSavedAndLoadedPromptsAsTheOneCompiled()
    {
        var compiled = new CompiledProgram<Readings, Forecast>(
            "Readings -> Forecast", WithReasoning: true, "Say the peak.",
            [new Demonstration<Readings, Forecast>(Weather.Oslo, new Forecast("Oslo peaks at 7.", 7), "max of 3, 7, 5")],
            new CompiledMetric("high-is-right", 0.25, 1));
        using var folder = new TemporaryDirectory();
        var path = Path.Combine(folder.Path, "forecast.json");
        compiled.Save(path);

        var loaded = CompiledProgram<Readings, Forecast>.Load(path);
        Assert.Equal(compiled.Instructions, loaded.Instructions);
        Assert.Equal(compiled.Demos, loaded.Demos);
        Assert.Equal(compiled.Metric, loaded.Metric);

        var fresh = new ScriptedChatClient("{\"reasoning\": \"r\", \"summary\": \"Rome peaks at 24.\", \"high\": 24}");
        var reloaded = new ScriptedChatClient("{\"reasoning\": \"r\", \"summary\": \"Rome peaks at 24.\", \"high\": 24}");
        var student = new ChainOfThought<Readings, Forecast>(fresh, Weather.Signature);
        await student.With(compiled).InvokeAsync(Weather.Rome, Cancellation);
        await student.On(reloaded).With(loaded).InvokeAsync(Weather.Rome, Cancellation);

        Assert.Equal(fresh.Requests[0].Select(m => (m.Role, m.Text)), reloaded.Requests[0].Select(m => (m.Role, m.Text)));
        Assert.Contains("\"reasoning\":\"max of 3, 7, 5\"", reloaded.Requests[0][2].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void AProgramOfAnotherSignatureOrModuleIsRefused()
    {
        var json = new CompiledProgram<Readings, Forecast>("Readings -> Forecast", false, "x", []).ToJson()
            .Replace("Readings -> Forecast", "Readings -> Other", StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => CompiledProgram<Readings, Forecast>.Parse(json));
        Assert.Throws<FormatException>(() => CompiledProgram<Readings, Forecast>.Parse("{\"signature\": 3}"));

        var forPredict = new CompiledProgram<Readings, Forecast>("Readings -> Forecast", false, "x", []);
        Assert.Throws<InvalidOperationException>(() => new ChainOfThought<Readings, Forecast>(new ScriptedChatClient(), Weather.Signature).With(forPredict));
    }

    [Fact]
    public async Task ReplayedRepliesAreFoundByInputAndPlayedInOrder()
    {
        var replay = new ReplayChatClient(
        [
            (JsonNode.Parse("{\"temperatures\": [18, 24, 21], \"city\": \"Rome\"}")!, "{\"summary\": \"first\", \"high\": 1}"),
            (JsonNode.Parse("{\"city\": \"Oslo\", \"temperatures\": [3.0, 7, 5e0]}")!, "{\"summary\": \"oslo\", \"high\": 7}"),
            (JsonNode.Parse("{\"city\": \"Rome\", \"temperatures\": [18, 24, 21]}")!, "{\"summary\": \"second\", \"high\": 2}"),
        ]);
        var predict = new Predict<Readings, Forecast>(replay, Weather.Signature);

        Assert.Equal("first", (await predict.InvokeAsync(Weather.Rome, Cancellation)).Output.Summary);
        Assert.Equal("oslo", (await predict.InvokeAsync(Weather.Oslo, Cancellation)).Output.Summary);
        Assert.Equal("second", (await predict.InvokeAsync(Weather.Rome, Cancellation)).Output.Summary);
        Assert.Equal(0, replay.Remaining);
        await Assert.ThrowsAsync<InvalidOperationException>(() => predict.InvokeAsync(Weather.Rome, Cancellation));
    }

    [Fact]
    public void ADevSetIsReadFromJsonLinesWithSplits()
    {
        var examples = DevSet.Parse<Readings, Forecast>(
        [
            "// comment",
            "{\"input\": {\"city\": \"Oslo\", \"temperatures\": [3]}, \"split\": \"train\"}",
            "",
            "{\"input\": {\"city\": \"Rome\", \"temperatures\": [24]}, \"output\": {\"summary\": \"s\", \"high\": 24}}",
        ]);

        Assert.Equal([Example.Train, Example.Dev], examples.Select(e => e.Split));
        Assert.Equal(new Forecast("s", 24), examples[1].Output);
        var bad = Assert.Throws<FormatException>(() => DevSet.Parse<Readings, Forecast>(["{\"input\": {\"city\": \"Oslo\"}}"], "set.jsonl"));
        Assert.StartsWith("set.jsonl, line 1:", bad.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Endpoint=http://localhost:11434/v1;Model=llama3.2", "llama3.2 at http://localhost:11434/v1")]
    [InlineData("Endpoint=https://api.example.com/v1;Model=gpt-x;Key=sk-secret", "gpt-x at https://api.example.com/v1")]
    public void AModelConnectionStringIsReadAndNeverShowsItsKey(string connectionString, string described)
    {
        Assert.True(ChatModelConnection.TryParse(connectionString, out var connection, out _));
        Assert.Equal(described, connection!.ToString());
        Assert.DoesNotContain("secret", connection.ToString(), StringComparison.Ordinal);
        Assert.NotNull(connection.CreateChatClient());
    }

    [Theory]
    [InlineData(null, "no model is configured")]
    [InlineData("", "no model is configured")]
    [InlineData("Model=x", "needs Endpoint")]
    [InlineData("Endpoint=ftp://x;Model=y", "needs Endpoint")]
    [InlineData("Endpoint=http://x/v1;Key=sk-secret", "needs Model")]
    public void AnUnusableModelConnectionStringSaysWhyWithoutItsKey(string? connectionString, string reason)
    {
        Assert.False(ChatModelConnection.TryParse(connectionString, out _, out var problem));
        Assert.Contains(reason, problem, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", problem, StringComparison.Ordinal);
    }
}
