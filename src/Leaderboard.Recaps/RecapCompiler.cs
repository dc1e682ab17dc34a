using Microsoft.Extensions.AI;
using Stack.Dspy.Evaluation;
using Stack.Dspy.Modules;
using Stack.Dspy.Optimizers;

namespace Leaderboard.Recaps;

/// <summary>
/// Compiles the recap stage: scores the plain module on the dev split, bootstraps demonstrations
/// from the train split with <see cref="BootstrapFewShot{TIn, TOut}"/>, and scores the compiled module
/// on the dev split again. The model is the student's and the teacher's.
/// </summary>
public static class RecapCompiler
{
    /// <summary>Demonstrations a compiled recap program shows at most (each costs prompt length on every recap).</summary>
    public const int MaxDemos = 3;

    public static async Task<RecapCompilation> CompileAsync(IChatClient model, IReadOnlyList<Example<PeriodDigest, Recap>> examples, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(examples);
        var train = examples.Where(e => e.Split == Example.Train).ToList();
        var dev = examples.Where(e => e.Split == Example.Dev).ToList();
        if (train.Count == 0 || dev.Count == 0)
        {
            throw new ArgumentException($"the dev set needs examples of both splits; it has {train.Count} train and {dev.Count} dev", nameof(examples));
        }

        var metric = new RecapFaithfulness();
        var student = new ChainOfThought<PeriodDigest, Recap>(model, RecapSignature.Default);
        var before = await Evaluate.RunAsync(student, dev, metric, cancellationToken);
        var program = await new BootstrapFewShot<PeriodDigest, Recap>(metric) { MaxDemos = MaxDemos }.CompileAsync(student, train, cancellationToken: cancellationToken);
        var after = await Evaluate.RunAsync(student.With(program), dev, metric, cancellationToken);
        return new RecapCompilation(program with { Metric = new CompiledMetric(metric.Name, Math.Round(before.Score, 3), Math.Round(after.Score, 3)) }, before, after);
    }
}

/// <summary>A compiled recap program and the dev-split evaluations before and after.</summary>
public sealed record RecapCompilation(CompiledProgram<PeriodDigest, Recap> Program, EvaluationReport Before, EvaluationReport After);
