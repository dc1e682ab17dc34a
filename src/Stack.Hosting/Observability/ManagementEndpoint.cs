namespace Stack.Hosting.Observability;

/// <summary>
/// The management endpoint every project gets: a second HTTP port where ServiceDefaults serves
/// Prometheus' <c>/metrics</c> (and nothing else) once <c>Management:Port</c> names it. On
/// Kubernetes it is <see cref="ClusterPort"/>, reached only from the monitoring namespace and never
/// routed by an Ingress; locally each replica gets a free port of its own.
/// </summary>
internal static class ManagementEndpoint
{
    /// <summary>The endpoint's and the container port's name.</summary>
    public const string Name = "management";

    /// <summary>The port in every pod (OpenTelemetry's conventional Prometheus exporter port).</summary>
    public const int ClusterPort = 9464;

    /// <summary>The variable ServiceDefaults reads (<c>Management:Port</c>).</summary>
    public const string PortVariable = "Management__Port";

    /// <summary>Where Prometheus scrapes.</summary>
    public const string MetricsPath = "/metrics";
}
