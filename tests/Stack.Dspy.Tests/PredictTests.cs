using Microsoft.Extensions.AI;
using Stack.Dspy.Models;
using Stack.Dspy.Modules;
using Stack.Dspy.Signatures;

namespace Stack.Dspy.Tests;

public sealed class PredictTests
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AReplyIsParsedIntoTheOutputRecordEvenInsideAFence()
    {
        var model = new ScriptedChatClient("Sure!\n```json\n{\"summary\": \"Cold in Oslo.\", \"high\": 7}\n```");
        var prediction = await new Predict<Readings, Forecast>(model, Weather.Signature).InvokeAsync(Weather.Oslo, Cancellation);

        Assert.Equal(new Forecast("Cold in Oslo.", 7), prediction.Output);
        Assert.Equal(1, prediction.Attempts);
        Assert.Null(prediction.Reasoning);
    }

    [Fact]
    public async Task ThePromptCarriesInstructionsFieldDescriptionsAndTheInputAsJson()
    {
        var model = new ScriptedChatClient("{\"summary\": \"Cold in Oslo.\", \"high\": 7}");
        await new Predict<Readings, Forecast>(model, Weather.Signature).InvokeAsync(Weather.Oslo, Cancellation);

        var request = Assert.Single(model.Requests);
        Assert.Equal(2, request.Count);
        var system = request[0].Text;
        Assert.StartsWith("Write the day's forecast from the readings.", system, StringComparison.Ordinal);
        Assert.Contains("- city (string): The city the readings are from.", system, StringComparison.Ordinal);
        Assert.Contains("- temperatures (array of integer): Temperatures of the day in °C, in the order measured.", system, StringComparison.Ordinal);
        Assert.Contains("- summary (string): One sentence about the day.", system, StringComparison.Ordinal);
        Assert.Contains("- high (integer): The highest temperature in °C.", system, StringComparison.Ordinal);
        Assert.Equal(ChatRole.User, request[1].Role);
        Assert.Equal("{\"city\":\"Oslo\",\"temperatures\":[3,7,5]}", request[1].Text);
    }

    [Fact]
    public async Task AMalformedReplyIsRetriedWithWhatWasWrong()
    {
        var model = new ScriptedChatClient("no idea", "{\"summary\": \"Cold in Oslo.\"}", "{\"summary\": \"Cold in Oslo.\", \"high\": 7}");
        var prediction = await new Predict<Readings, Forecast>(model, Weather.Signature).InvokeAsync(Weather.Oslo, Cancellation);

        Assert.Equal(3, prediction.Attempts);
        Assert.Equal(7, prediction.Output.High);
        // The second request shows the model its first reply and why it could not be read.
        var second = model.Requests[1];
        Assert.Equal("no idea", second[^2].Text);
        Assert.Contains("no JSON object", second[^1].Text, StringComparison.Ordinal);
        // A missing field is malformed too: the third request names it.
        Assert.Contains("high", model.Requests[2][^1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AfterMaxAttemptsMalformedRepliesThePredictionFails()
    {
        var model = new ScriptedChatClient("{}", "{\"summary\": null, \"high\": 3}", "[1]", "{\"summary\": \"never asked\", \"high\": 1}");
        var predict = new Predict<Readings, Forecast>(model, Weather.Signature) { MaxAttempts = 3 };

        var failure = await Assert.ThrowsAsync<PredictionException>(() => predict.InvokeAsync(Weather.Oslo, Cancellation));

        Assert.Equal(3, failure.Attempts);
        Assert.Equal(["{}", "{\"summary\": null, \"high\": 3}", "[1]"], failure.Replies);
        Assert.Equal(3, model.Requests.Count);
    }

    [Fact]
    public async Task ChainOfThoughtAsksForReasoningFirstAndKeepsIt()
    {
        var model = new ScriptedChatClient("{\"reasoning\": \"The readings peak at 7.\", \"summary\": \"Cold in Oslo.\", \"high\": 7}");
        var prediction = await new ChainOfThought<Readings, Forecast>(model, Weather.Signature).InvokeAsync(Weather.Oslo, Cancellation);

        Assert.Equal("The readings peak at 7.", prediction.Reasoning);
        Assert.Equal(new Forecast("Cold in Oslo.", 7), prediction.Output);
        var system = model.Requests[0][0].Text;
        Assert.True(system.IndexOf("- reasoning (string)", StringComparison.Ordinal) < system.IndexOf("- summary (string)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ChainOfThoughtRetriesAReplyWithoutReasoning()
    {
        var model = new ScriptedChatClient("{\"summary\": \"Cold in Oslo.\", \"high\": 7}", "{\"reasoning\": \"Peak 7.\", \"summary\": \"Cold in Oslo.\", \"high\": 7}");
        var prediction = await new ChainOfThought<Readings, Forecast>(model, Weather.Signature).InvokeAsync(Weather.Oslo, Cancellation);

        Assert.Equal(2, prediction.Attempts);
        Assert.Contains("reasoning", model.Requests[1][^1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DemonstrationsAreShownAsTurnsBeforeTheInput()
    {
        var model = new ScriptedChatClient("{\"summary\": \"Warm in Rome.\", \"high\": 24}");
        var predict = new Predict<Readings, Forecast>(model, Weather.Signature)
            .With("Be brief.", [new Demonstration<Readings, Forecast>(Weather.Oslo, new Forecast("Cold in Oslo.", 7))]);

        await predict.InvokeAsync(Weather.Rome, Cancellation);

        var request = model.Requests[0];
        Assert.StartsWith("Be brief.", request[0].Text, StringComparison.Ordinal);
        Assert.Equal(["system", "user", "assistant", "user"], request.Select(m => m.Role.Value));
        Assert.Equal("{\"city\":\"Oslo\",\"temperatures\":[3,7,5]}", request[1].Text);
        Assert.Equal("{\"summary\":\"Cold in Oslo.\",\"high\":7}", request[2].Text);
        Assert.Equal("{\"city\":\"Rome\",\"temperatures\":[18,24,21]}", request[3].Text);
    }

    [Fact]
    public void AFieldWithoutADescriptionIsRefused()
    {
        var refusal = Assert.Throws<InvalidOperationException>(() => SignatureField.Of(typeof(Undescribed)));
        Assert.Contains("'City'", refusal.Message, StringComparison.Ordinal);
    }
}
