namespace Stack.Hosting.GitOps;

/// <summary>CPU and memory requests and limits of one container.</summary>
internal sealed record WorkloadSize(string CpuRequest, string CpuLimit, string MemoryRequest, string MemoryLimit);
