using Stack.Dspy.Evaluation;
using Stack.Dspy.Modules;

namespace Stack.Dspy.Optimizers;

/// <summary>
/// DSPy's BootstrapFewShot: a teacher (by default the student itself, perhaps on a stronger model)
/// answers the training examples; every answer the metric passes becomes a demonstration, up to
/// <see cref="MaxDemos"/>. With instruction candidates, each is scored with those demonstrations on
/// the validation examples and the best is kept (the first on a tie, the student's own first of all).
/// </summary>
public sealed class BootstrapFewShot<TIn, TOut>(IMetric<TIn, TOut> metric)
{
    private readonly IMetric<TIn, TOut> _metric = metric ?? throw new ArgumentNullException(nameof(metric));

    /// <summary>Most demonstrations kept.</summary>
    public int MaxDemos { get; init; } = 3;

    public async Task<CompiledProgram<TIn, TOut>> CompileAsync(
        Predict<TIn, TOut> student,
        IReadOnlyList<Example<TIn, TOut>> trainset,
        Predict<TIn, TOut>? teacher = null,
        IReadOnlyList<string>? instructionCandidates = null,
        IReadOnlyList<Example<TIn, TOut>>? valset = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(student);
        ArgumentNullException.ThrowIfNull(trainset);
        teacher ??= student;

        var demos = new List<Demonstration<TIn, TOut>>();
        foreach (var example in trainset)
        {
            if (demos.Count >= MaxDemos)
            {
                break;
            }

            Prediction<TOut> prediction;
            try
            {
                prediction = await teacher.InvokeAsync(example.Input, cancellationToken);
            }
            catch (PredictionException)
            {
                continue;
            }

            if (_metric.Judge(example, prediction.Output).Passed)
            {
                demos.Add(new Demonstration<TIn, TOut>(example.Input, prediction.Output, prediction.Reasoning));
            }
        }

        var instructions = student.Signature.Instructions;
        if (instructionCandidates is { Count: > 0 })
        {
            var best = double.NegativeInfinity;
            foreach (var candidate in new[] { student.Signature.Instructions }.Concat(instructionCandidates).Distinct(StringComparer.Ordinal))
            {
                var score = (await Evaluate.RunAsync(student.With(candidate, demos), valset ?? trainset, _metric, cancellationToken)).Score;
                if (score > best)
                {
                    (best, instructions) = (score, candidate);
                }
            }
        }

        return new CompiledProgram<TIn, TOut>(Signatures.Signature<TIn, TOut>.Name, student.WithReasoning, instructions, demos);
    }
}
