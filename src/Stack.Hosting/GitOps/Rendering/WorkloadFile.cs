namespace Stack.Hosting.GitOps.Rendering;

/// <summary>A non-secret file the workload reads, e.g. PostgreSQL's database creation script.</summary>
internal sealed record WorkloadFile(string MountPath, string FileName, string Content);
