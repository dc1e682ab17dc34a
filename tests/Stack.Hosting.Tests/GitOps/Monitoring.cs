using k8s.Models;

namespace Stack.Hosting.Tests.GitOps;

/// <summary>
/// Typed models of the Argo Rollouts and Prometheus Operator kinds we render (Rollout,
/// AnalysisTemplate, ServiceMonitor, PrometheusRule), holding the fields we use. Loading is strict,
/// as for <see cref="ArgoCd"/>: a misspelt or misplaced field fails. A Rollout's pod template is the
/// Kubernetes API's own model. (The cluster tests validate all four against their upstream CRDs.)
/// </summary>
internal static class Monitoring
{
    public sealed class Rollout : ArgoCd.CustomObject<RolloutSpec>;

    public sealed class RolloutSpec
    {
        public int? Replicas { get; set; }
        public int RevisionHistoryLimit { get; set; }
        public V1LabelSelector Selector { get; set; } = new();
        public V1PodTemplateSpec Template { get; set; } = new();
        public RolloutStrategy Strategy { get; set; } = new();
    }

    public sealed class RolloutStrategy
    {
        public BlueGreen BlueGreen { get; set; } = new();
    }

    public sealed class BlueGreen
    {
        public string ActiveService { get; set; } = "";
        public string PreviewService { get; set; } = "";
        public bool AutoPromotionEnabled { get; set; }
        public int ScaleDownDelaySeconds { get; set; }
        public int AbortScaleDownDelaySeconds { get; set; }
        public RolloutAnalysis PrePromotionAnalysis { get; set; } = new();
    }

    public sealed class RolloutAnalysis
    {
        public List<TemplateReference> Templates { get; set; } = [];
        public List<AnalysisArgument> Args { get; set; } = [];
    }

    public sealed class TemplateReference
    {
        public string TemplateName { get; set; } = "";
    }

    public sealed class AnalysisArgument
    {
        public string Name { get; set; } = "";
        public string? Value { get; set; }
        public ArgumentValueFrom? ValueFrom { get; set; }
    }

    public sealed class ArgumentValueFrom
    {
        public string? PodTemplateHashValue { get; set; }
    }

    public sealed class AnalysisTemplate : ArgoCd.CustomObject<AnalysisTemplateSpec>;

    public sealed class AnalysisTemplateSpec
    {
        public List<AnalysisArgument> Args { get; set; } = [];
        public List<AnalysisMetric> Metrics { get; set; } = [];
    }

    public sealed class AnalysisMetric
    {
        public string Name { get; set; } = "";
        public string InitialDelay { get; set; } = "";
        public string Interval { get; set; } = "";
        public int Count { get; set; }
        public int FailureLimit { get; set; }
        public string SuccessCondition { get; set; } = "";
        public string FailureCondition { get; set; } = "";
        public MetricProvider Provider { get; set; } = new();
    }

    public sealed class MetricProvider
    {
        public PrometheusProvider Prometheus { get; set; } = new();
    }

    public sealed class PrometheusProvider
    {
        public string Address { get; set; } = "";
        public string Query { get; set; } = "";
    }

    public sealed class ServiceMonitor : ArgoCd.CustomObject<ServiceMonitorSpec>;

    public sealed class ServiceMonitorSpec
    {
        public string JobLabel { get; set; } = "";
        public V1LabelSelector Selector { get; set; } = new();
        public List<ScrapeEndpoint> Endpoints { get; set; } = [];
    }

    public sealed class ScrapeEndpoint
    {
        public string Port { get; set; } = "";
        public string Path { get; set; } = "";
        public string Interval { get; set; } = "";
        public List<Relabeling> Relabelings { get; set; } = [];
    }

    public sealed class Relabeling
    {
        public string Action { get; set; } = "";
        public List<string> SourceLabels { get; set; } = [];
        public string TargetLabel { get; set; } = "";
    }

    public sealed class PrometheusRule : ArgoCd.CustomObject<PrometheusRuleSpec>;

    public sealed class PrometheusRuleSpec
    {
        public List<RuleGroup> Groups { get; set; } = [];
    }

    public sealed class RuleGroup
    {
        public string Name { get; set; } = "";
        public List<Rule> Rules { get; set; } = [];
    }

    public sealed class Rule
    {
        public string? Record { get; set; }
        public string? Alert { get; set; }
        public string Expr { get; set; } = "";
        public string? For { get; set; }
        public Dictionary<string, string>? Labels { get; set; }
        public Dictionary<string, string>? Annotations { get; set; }
    }
}
