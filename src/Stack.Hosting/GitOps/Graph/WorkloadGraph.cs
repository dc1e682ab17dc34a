namespace Stack.Hosting.GitOps.Graph;

/// <summary>What publish reads from the Aspire graph: its compute resources, translated, and the <c>WithReference</c> edges between them.</summary>
/// <param name="Workloads">Every published project and container, by name.</param>
/// <param name="Edges">Who may connect to whom.</param>
internal sealed record WorkloadGraph(IReadOnlyList<Workload> Workloads, IReadOnlyList<WorkloadEdge> Edges);
