using Stack.Cluster.Tests.Kubernetes;

namespace Stack.Cluster.Tests.Policies;

/// <summary>The same objects judged by both engines: the API server's admission (a server-side dry run) and `stack policy check`.</summary>
internal static class Differential
{
    /// <summary>
    /// Judges every object of <paramref name="file"/> with the API server, in <paramref name="namespace"/>
    /// when the object names none, and compares with <paramref name="offline"/>'s verdict on it.
    /// Returns how many objects were judged and one line per object the engines judge differently.
    /// The Namespaces the file declares are created first (as a sync would), so the API server hands
    /// them to the policies as <c>namespaceObject</c>, as `stack policy check` does.
    /// </summary>
    public static async Task<(int Judged, IReadOnlyList<string> Disagreements)> CompareAsync(
        KubernetesCluster cluster, string file, OfflineCheck offline, string @namespace, Func<string, string> policyName)
    {
        var objects = KubeObject.Parse(await File.ReadAllTextAsync(file), file);
        foreach (var declared in objects.Where(item => item.Kind == "Namespace"))
        {
            var created = await cluster.Kubectl.ApplyAsync([declared], fieldManager: KubernetesCluster.TestFieldManager);
            if (created.ExitCode != 0)
            {
                throw new InvalidOperationException($"the Namespace of {file} did not apply: {created.AllOutput.Trim()}");
            }
        }

        var disagreements = new List<string>();
        foreach (var item in objects)
        {
            var server = Verdict.FromKubectl(await cluster.Kubectl.ApplyAsync([item], item.Namespace is null ? @namespace : null, dryRun: true), policyName);
            var judged = offline.VerdictOn(file, item);
            if (!Verdict.Agree(judged, server))
            {
                disagreements.Add($"{item.DisplayName}:\n    stack policy check: {judged}\n    API server:         {server}");
            }
        }

        return (objects.Count, disagreements);
    }
}
