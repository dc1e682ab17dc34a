namespace Stack.Hosting.GitOps.Graph;

/// <summary>An endpoint of a workload: the same port in the container and on its Service.</summary>
internal sealed record WorkloadPort(string Name, int Port, string Protocol, bool IsHttp, bool IsExternal);
