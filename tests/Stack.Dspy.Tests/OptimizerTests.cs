using Stack.Dspy.Evaluation;
using Stack.Dspy.Models;
using Stack.Dspy.Modules;
using Stack.Dspy.Optimizers;

namespace Stack.Dspy.Tests;

public sealed class OptimizerTests
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private static readonly Example<Readings, Forecast>[] Trainset =
    [
        new(Weather.Oslo, Split: Example.Train),
        new(Weather.Rome, Split: Example.Train),
        new(Weather.Lima, Split: Example.Train),
    ];

    [Fact]
    public async Task OnlyTeacherAnswersThatPassTheMetricBecomeDemonstrations()
    {
        // Oslo: wrong high (fails); Rome: right; Lima: unparsable three times (skipped).
        var teacher = new ScriptedChatClient(
            "{\"reasoning\": \"r1\", \"summary\": \"Oslo is cold.\", \"high\": 5}",
            "{\"reasoning\": \"r2\", \"summary\": \"Rome is warm.\", \"high\": 24}",
            "nope", "nope", "nope");
        var student = new ChainOfThought<Readings, Forecast>(new ScriptedChatClient(), Weather.Signature);

        var compiled = await new BootstrapFewShot<Readings, Forecast>(new HighIsRight())
            .CompileAsync(student, Trainset, teacher: student.On(teacher), cancellationToken: Cancellation);

        var demo = Assert.Single(compiled.Demos);
        Assert.Equal(Weather.Rome, demo.Input);
        Assert.Equal(new Forecast("Rome is warm.", 24), demo.Output);
        Assert.Equal("r2", demo.Reasoning);
        Assert.True(compiled.WithReasoning);
        Assert.Equal(Weather.Signature.Instructions, compiled.Instructions);
        Assert.Equal("Readings -> Forecast", compiled.Signature);
    }

    [Fact]
    public async Task NoMoreThanMaxDemosAreKeptAndTheRestAreNotAsked()
    {
        var teacher = new ScriptedChatClient(
            "{\"summary\": \"Oslo is cold.\", \"high\": 7}",
            "{\"summary\": \"Rome is warm.\", \"high\": 24}",
            "{\"summary\": \"Lima is mild.\", \"high\": 19}");
        var student = new Predict<Readings, Forecast>(teacher, Weather.Signature);

        var compiled = await new BootstrapFewShot<Readings, Forecast>(new HighIsRight()) { MaxDemos = 2 }
            .CompileAsync(student, Trainset, cancellationToken: Cancellation);

        Assert.Equal([Weather.Oslo, Weather.Rome], compiled.Demos.Select(d => d.Input));
        Assert.Equal(2, teacher.Requests.Count);
    }

    [Fact]
    public async Task TheInstructionsThatScoreBestOnTheValidationSetAreChosen()
    {
        var valset = new[] { new Example<Readings, Forecast>(Weather.Lima) };
        // One demo from Oslo, then the validation answers for: the original instructions (wrong
        // high), candidate A (right), candidate B (right too: the tie keeps A).
        var model = new ScriptedChatClient(
            "{\"summary\": \"Oslo is cold.\", \"high\": 7}",
            "{\"summary\": \"Lima is mild.\", \"high\": 16}",
            "{\"summary\": \"Lima is mild.\", \"high\": 19}",
            "{\"summary\": \"Lima is mild.\", \"high\": 19}");
        var student = new Predict<Readings, Forecast>(model, Weather.Signature);

        var compiled = await new BootstrapFewShot<Readings, Forecast>(new HighIsRight()) { MaxDemos = 1 }
            .CompileAsync(student, Trainset, instructionCandidates: ["A: name the peak.", "B: name the peak too."], valset: valset, cancellationToken: Cancellation);

        Assert.Equal("A: name the peak.", compiled.Instructions);
        Assert.StartsWith("A: name the peak.", model.Requests[2][0].Text, StringComparison.Ordinal);
        // Each candidate was scored with the bootstrapped demonstration in its prompt.
        Assert.All(model.Requests.Skip(1), request => Assert.Equal(4, request.Count));
    }

    [Fact]
    public async Task EvaluationScoresEveryExampleAndAnUnparsableOneAsZero()
    {
        var model = new ScriptedChatClient(
            "{\"summary\": \"Oslo is cold.\", \"high\": 7}",
            "{\"summary\": \"Warm.\", \"high\": 24}",
            "x", "x", "x");
        var report = await Evaluate.RunAsync(new Predict<Readings, Forecast>(model, Weather.Signature), Trainset, new HighIsRight(), Cancellation);

        Assert.Equal([1.0, 0.5, 0.0], report.Results.Select(r => r.Score));
        Assert.Equal(0.5, report.Score, 6);
        Assert.Equal(1, report.Passed);
        Assert.Equal("high-is-right 0.500 (1/3 passed)", report.ToString());
    }
}
