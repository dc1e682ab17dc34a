namespace Stack.Hosting.GitOps.Graph;

/// <summary>A persistent volume of a stateful workload, claimed per pod.</summary>
internal sealed record WorkloadVolume(string Name, string MountPath);
