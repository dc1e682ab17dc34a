using Stack.Cluster.Tests.Kubernetes;

namespace Stack.Cluster.Tests.ArgoCd;

/// <summary>What infra/deploy/argocd tells Argo CD: which overlay syncs into which namespace.</summary>
internal static class ArgoCdApplications
{
    public static string Folder { get; } = Path.Combine(Repository.Deploy, "argocd");

    /// <summary>Every object of the folder, as Argo CD reads a plain directory source (its *.yaml files, not recursively).</summary>
    public static IReadOnlyList<KubeObject> Objects() =>
        [.. Directory.EnumerateFiles(Folder, "*.yaml").Order(StringComparer.Ordinal).SelectMany(file => KubeObject.Parse(File.ReadAllText(file), file))];

    /// <summary>
    /// The destination namespace of <paramref name="environment"/>'s application: the element of the
    /// ApplicationSet's list generator whose <c>environment</c> it is.
    /// </summary>
    public static string DestinationNamespace(string environment)
    {
        var elements = Objects().Where(item => item.Kind == "ApplicationSet")
            .SelectMany(set => (set.Spec?["generators"]?.AsArray() ?? []).Select(generator => generator?["list"]?["elements"]?.AsArray()))
            .SelectMany(list => list ?? []);
        return elements.FirstOrDefault(element => element?["environment"].Text() == environment)?["namespace"].Text()
            ?? throw new InvalidOperationException($"no element of the ApplicationSet's list generator in {Folder} has environment: {environment}");
    }
}
