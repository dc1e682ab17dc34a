namespace Stack.Hosting.GitOps.Kubernetes;

/// <summary>The recommended <c>app.kubernetes.io/*</c> labels, and the selector subset of them that never changes.</summary>
internal static class Labels
{
    public const string Name = "app.kubernetes.io/name";
    public const string PartOf = "app.kubernetes.io/part-of";
    public const string Component = "app.kubernetes.io/component";
    public const string ManagedBy = "app.kubernetes.io/managed-by";
    public const string SyncWave = "argocd.argoproj.io/sync-wave";
    public const string SyncOptions = "argocd.argoproj.io/sync-options";

    /// <summary>Pods of <paramref name="workload"/>: a Deployment's selector is immutable, so it holds only these two.</summary>
    public static OrderedDictionary<string, object> Selector(string workload, string partOf) =>
        Yaml.Sorted([new(Name, workload), new(PartOf, partOf)]);

    /// <summary>Every label an object of <paramref name="workload"/> carries.</summary>
    public static OrderedDictionary<string, object> For(string workload, string component, string partOf) =>
        Yaml.Sorted([new(Name, workload), new(PartOf, partOf), new(Component, component), new(ManagedBy, "stack-gitops")]);
}
