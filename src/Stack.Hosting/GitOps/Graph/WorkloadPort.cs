namespace Stack.Hosting.GitOps.Graph;

/// <summary>
/// An endpoint of a workload: the same port in the container and on its Service. The management
/// port (<see cref="IsManagement"/>) serves only Prometheus: it is on the metrics Service, not on the
/// Service callers and the Ingress use.
/// </summary>
internal sealed record WorkloadPort(string Name, int Port, string Protocol, bool IsHttp, bool IsExternal, bool IsManagement = false);
