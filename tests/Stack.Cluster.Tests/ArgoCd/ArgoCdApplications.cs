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
    /// ApplicationSet's list generator whose <c>environment</c> it is (at the top, or inside a matrix).
    /// </summary>
    public static string DestinationNamespace(string environment)
    {
        static IEnumerable<System.Text.Json.Nodes.JsonNode?> Generators(System.Text.Json.Nodes.JsonNode? generators) =>
            (generators?.AsArray() ?? []).SelectMany(generator => Generators(generator?["matrix"]?["generators"]).Prepend(generator));
        var elements = Objects().Where(item => item.Kind == "ApplicationSet")
            .SelectMany(set => Generators(set.Spec?["generators"]).Select(generator => generator?["list"]?["elements"]?.AsArray()))
            .SelectMany(list => list ?? []);
        return elements.FirstOrDefault(element => element?["environment"].Text() == environment)?["namespace"].Text()
            ?? throw new InvalidOperationException($"no element of the ApplicationSet's list generator in {Folder} has environment: {environment}");
    }
}
