namespace Stack.Hosting.Observability;

/// <summary>
/// The series the services' Prometheus exporter serves (OpenTelemetry's, on the management port),
/// by the names it gives them: <c>http.server.request.duration</c> (seconds) becomes
/// <c>http_server_request_duration_seconds_{bucket,count,sum}</c> with the labels <c>http_route</c>
/// and <c>http_response_status_code</c>. Checked against a real scrape by the API's tests.
/// </summary>
internal static class MetricNames
{
    public const string RequestDurationBucket = "http_server_request_duration_seconds_bucket";
    public const string RequestDurationCount = "http_server_request_duration_seconds_count";
    public const string ActiveRequests = "http_server_active_requests";
    public const string CpuTime = "dotnet_process_cpu_time_seconds_total";
    public const string WorkingSet = "dotnet_process_memory_working_set_bytes";

    public const string RouteLabel = "http_route";
    public const string StatusLabel = "http_response_status_code";

    /// <summary>The label that names the Argo Rollouts ReplicaSet a scraped pod belongs to (relabelled from the pod's label).</summary>
    public const string RolloutHashLabel = "rollouts_pod_template_hash";

    /// <summary>The pod label Argo Rollouts puts on the pods of each ReplicaSet.</summary>
    public const string RolloutHashPodLabel = "rollouts-pod-template-hash";
}
