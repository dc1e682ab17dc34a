using System.Text.Json.Nodes;
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
            var server = IsPodWithEphemeralContainers(item)
                ? await AddEphemeralContainersAsync(cluster, item, item.Namespace ?? @namespace, policyName)
                : Verdict.FromKubectl(await cluster.Kubectl.ApplyAsync([item], item.Namespace is null ? @namespace : null, dryRun: true), policyName);
            var judged = offline.VerdictOn(file, item);
            if (!Verdict.Agree(judged, server))
            {
                disagreements.Add($"{item.DisplayName}:\n    stack policy check: {judged}\n    API server:         {server}");
            }
        }

        return (objects.Count, disagreements);
    }

    private static bool IsPodWithEphemeralContainers(KubeObject item) =>
        item.Kind == "Pod" && item.Spec?["ephemeralContainers"] is JsonArray { Count: > 0 };

    /// <summary>
    /// A Pod cannot be created with ephemeral containers: they reach a running Pod through its
    /// <c>ephemeralcontainers</c> subresource (what <c>kubectl debug</c> does). The Pod is created
    /// without them, then the API server judges adding them (a server-side dry run of the
    /// subresource), and the Pod is deleted again.
    /// </summary>
    private static async Task<Verdict> AddEphemeralContainersAsync(KubernetesCluster cluster, KubeObject pod, string @namespace, Func<string, string> policyName)
    {
        var withoutThem = KubeObject.Parse(pod.Json.ToJsonString(), "pod").Single();
        var ephemeral = (JsonArray)withoutThem.Spec!["ephemeralContainers"]!.DeepClone();
        withoutThem.Spec.Remove("ephemeralContainers");
        var created = await cluster.Kubectl.ApplyAsync([withoutThem], @namespace);
        if (created.ExitCode != 0)
        {
            return Verdict.FromKubectl(created, policyName);
        }

        try
        {
            var patch = new JsonObject { ["spec"] = new JsonObject { ["ephemeralContainers"] = ephemeral } }.ToJsonString();
            return Verdict.FromKubectl(
                await cluster.Kubectl.RunAsync("patch", "pod", pod.Name, "-n", @namespace, "--subresource=ephemeralcontainers", "--type=strategic", "--dry-run=server", "-p", patch),
                policyName);
        }
        finally
        {
            await cluster.Kubectl.RunAsync("delete", "pod", pod.Name, "-n", @namespace, "--wait=false", "--grace-period=0");
        }
    }
}
