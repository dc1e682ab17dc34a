using Stack.Dspy.Modules;

namespace Stack.Dspy.Evaluation;

/// <summary>Runs a module over examples and scores every output with a metric.</summary>
public static class Evaluate
{
    /// <summary>The mean score; an example whose model never gave a parsable reply scores 0.</summary>
    public static async Task<EvaluationReport> RunAsync<TIn, TOut>(IModule<TIn, TOut> module, IReadOnlyList<Example<TIn, TOut>> examples, IMetric<TIn, TOut> metric, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentNullException.ThrowIfNull(metric);

        var results = new List<MetricResult>();
        foreach (var example in examples)
        {
            try
            {
                var prediction = await module.InvokeAsync(example.Input, cancellationToken);
                results.Add(metric.Judge(example, prediction.Output));
            }
            catch (PredictionException exception)
            {
                results.Add(new MetricResult(0, [exception.Message]));
            }
        }

        return new EvaluationReport(metric.Name, results);
    }
}

/// <summary>The verdicts of one evaluation, in example order.</summary>
public sealed record EvaluationReport(string Metric, IReadOnlyList<MetricResult> Results)
{
    /// <summary>The mean score, 0 for no examples.</summary>
    public double Score => Results.Count == 0 ? 0 : Results.Average(r => r.Score);

    public int Passed => Results.Count(r => r.Passed);

    public override string ToString() =>
        $"{Metric} {Score.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture)} ({Passed}/{Results.Count} passed)";
}
