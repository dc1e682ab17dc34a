namespace Stack.Hosting.GitOps.Graph;

/// <summary>A non-secret file the workload reads, e.g. PostgreSQL's database creation script.</summary>
internal sealed record WorkloadFile(string MountPath, string FileName, string Content);
