namespace Stack.Hosting.Observability;

/// <summary>
/// The PromQL a blue-green release's analysis asks Prometheus: the p95 latency and the 5xx ratio of
/// the preview pods only (their ReplicaSet's <c>rollouts_pod_template_hash</c>), over <see cref="Window"/>.
/// Rendered with Argo Rollouts' <c>{{args.*}}</c> placeholders into the AnalysisTemplate, and with
/// concrete values by the promtool tests, from the same text.
/// </summary>
internal static class AnalysisQueries
{
    /// <summary>How far back each measurement looks.</summary>
    public const string Window = "2m";

    /// <summary>The placeholders Argo Rollouts substitutes in an AnalysisTemplate.</summary>
    public static readonly (string Namespace, string Service, string Hash) TemplateArgs = ("{{args.namespace}}", "{{args.service}}", "{{args.preview-hash}}");

    /// <summary>The preview pods' p95 latency in seconds: one sample, or none (NaN or nothing) without traffic.</summary>
    public static string P95(string @namespace, string service, string hash) =>
        $"histogram_quantile(0.95, sum by (le) (rate({MetricNames.RequestDurationBucket}{{{Selector(@namespace, service, hash)}}}[{Window}])))";

    /// <summary>The preview pods' share of 5xx answers: 0 without errors, nothing without traffic.</summary>
    public static string ErrorRatio(string @namespace, string service, string hash) =>
        $"(sum(rate({MetricNames.RequestDurationCount}{{{Selector(@namespace, service, hash)},{MetricNames.StatusLabel}=~\"5..\"}}[{Window}])) or vector(0))"
        + $" / sum(rate({MetricNames.RequestDurationCount}{{{Selector(@namespace, service, hash)}}}[{Window}]))";

    private static string Selector(string @namespace, string service, string hash) =>
        $"namespace=\"{@namespace}\",job=\"{service}\",{MetricNames.RolloutHashLabel}=\"{hash}\"";
}
