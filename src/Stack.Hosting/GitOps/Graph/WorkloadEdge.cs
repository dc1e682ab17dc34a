namespace Stack.Hosting.GitOps.Graph;

/// <summary>A <c>WithReference</c> between two workloads: <paramref name="Source"/> may open connections to <paramref name="Target"/>'s ports.</summary>
internal sealed record WorkloadEdge(Workload Source, Workload Target);
