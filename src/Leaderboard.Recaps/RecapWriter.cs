using Microsoft.Extensions.AI;
using Stack.Dspy.Modules;
using Stack.Dspy.Optimizers;

namespace Leaderboard.Recaps;

/// <summary>
/// The recap stage at run time: the compiled program (instructions and demonstrations) on the
/// configured model, and the metric as a gate. A recap the model could not shape, or one that fails
/// the metric, is not returned, so it is never published.
/// </summary>
public sealed class RecapWriter(IChatClient model, CompiledProgram<PeriodDigest, Recap> program)
{
    private readonly Predict<PeriodDigest, Recap> _compiled = new ChainOfThought<PeriodDigest, Recap>(model, RecapSignature.Default).With(program);
    private readonly RecapFaithfulness _metric = new();

    /// <summary>The recap of <paramref name="digest"/>, or why there is none to publish.</summary>
    public async Task<RecapOutcome> WriteAsync(PeriodDigest digest, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(digest);
        Prediction<Recap> prediction;
        try
        {
            prediction = await _compiled.InvokeAsync(digest, cancellationToken);
        }
        catch (PredictionException exception)
        {
            return new RecapOutcome(null, [exception.Message]);
        }

        var verdict = _metric.Judge(digest, prediction.Output);
        return verdict.Passed ? new RecapOutcome(prediction.Output, []) : new RecapOutcome(null, verdict.Failures);
    }
}

/// <summary>A recap to publish, or null and why not.</summary>
public sealed record RecapOutcome(Recap? Recap, IReadOnlyList<string> Problems)
{
    public bool Published => Recap is not null;
}
