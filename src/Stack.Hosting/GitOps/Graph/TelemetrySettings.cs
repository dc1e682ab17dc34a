namespace Stack.Hosting.GitOps.Graph;

/// <summary>
/// Where a project sends its telemetry in the cluster: OTLP over gRPC to the environment's
/// collector, named by its resource and the application it is part of.
/// </summary>
internal static class TelemetrySettings
{
    /// <summary>The variable that turns OTLP export on in ServiceDefaults; a workload that has it may reach the collector.</summary>
    public const string EndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static void AddTo(SortedDictionary<string, string> config, GitOpsEnvironmentResource environment, string resourceName)
    {
        config[EndpointVariable] = environment.OtlpCollector.ToString().TrimEnd('/');
        config["OTEL_EXPORTER_OTLP_PROTOCOL"] = "grpc";
        config["OTEL_SERVICE_NAME"] = resourceName;
        config["OTEL_RESOURCE_ATTRIBUTES"] = $"service.namespace={environment.PartOf}";
    }

    /// <summary>The collector's namespace: <c>otel-collector.observability.svc.cluster.local</c> lives in <c>observability</c>.</summary>
    public static string CollectorNamespace(GitOpsEnvironmentResource environment) =>
        environment.OtlpCollector.Host.Split('.') is { Length: > 1 } parts ? parts[1] : "default";
}
