using System.Text.Json;
using System.Text.Json.Nodes;

namespace Stack.Cluster.Tests.Kubernetes;

/// <summary>
/// The real kubectl of the control plane's assets, run as a person or Argo CD would run it:
/// rendering with <c>kubectl kustomize</c>, applying server-side, reading state as JSON.
/// </summary>
internal sealed class Kubectl(string executable, string kubeconfig)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    public string Executable { get; } = executable;

    /// <summary>Runs kubectl against the cluster; the caller reads the exit code.</summary>
    public Task<CommandLine.Result> RunAsync(params string[] arguments) =>
        CommandLine.RunAsync(Repository.Root, new Dictionary<string, string>(), Timeout, Executable, [$"--kubeconfig={kubeconfig}", .. arguments]);

    /// <summary>Runs kubectl with <paramref name="standardInput"/> piped in (for <c>-f -</c>).</summary>
    public Task<CommandLine.Result> PipeAsync(string standardInput, params string[] arguments) =>
        CommandLine.PipeAsync(standardInput, Repository.Root, Timeout, Executable, [$"--kubeconfig={kubeconfig}", .. arguments]);

    /// <summary>Runs kubectl and fails loudly when it does.</summary>
    public async Task<string> RequireAsync(params string[] arguments)
    {
        var result = await RunAsync(arguments);
        return result.ExitCode == 0
            ? result.StandardOutput
            : throw new InvalidOperationException($"kubectl {string.Join(' ', arguments)} failed ({result.ExitCode}): {result.AllOutput.Trim()}");
    }

    /// <summary><c>kubectl get ... -o json</c>, parsed.</summary>
    public async Task<JsonObject> GetAsync(params string[] arguments) =>
        JsonNode.Parse(await RequireAsync([.. arguments, "-o", "json"]))!.AsObject();

    /// <summary>The items of <c>kubectl get &lt;kinds&gt; -n &lt;namespace&gt; -o json</c>.</summary>
    public async Task<IReadOnlyList<KubeObject>> ListAsync(string @namespace, string kinds) =>
        [.. (await GetAsync("get", kinds, "-n", @namespace)).Items().Select(item => new KubeObject(item))];

    /// <summary>The YAML <c>kubectl kustomize</c> renders for <paramref name="folder"/>, as Argo CD renders a kustomization.</summary>
    public Task<string> KustomizeAsync(string folder) => RequireAsync("kustomize", folder);

    /// <summary>
    /// Server-side apply of <paramref name="objects"/> in their order, with Argo CD's field manager and
    /// its forced conflicts (gitops-engine sets ForceConflicts whenever it applies server-side).
    /// </summary>
    /// <param name="objects">What to apply.</param>
    /// <param name="namespace">Where objects without a namespace go (as an application's destination namespace).</param>
    /// <param name="dryRun">Only ask the API server (admission included) whether it would accept them.</param>
    /// <param name="fieldManager">Whose apply it is.</param>
    public Task<CommandLine.Result> ApplyAsync(IEnumerable<KubeObject> objects, string? @namespace = null, bool dryRun = false, string fieldManager = ArgoCdFieldManager) =>
        PipeAsync(List(objects), [
            "apply", "--server-side", "--force-conflicts", $"--field-manager={fieldManager}", "-f", "-",
            .. @namespace is null ? Array.Empty<string>() : ["-n", @namespace],
            .. dryRun ? ["--dry-run=server"] : Array.Empty<string>(),
        ]);

    /// <summary>The API server's copy of each of <paramref name="objects"/> (<c>kubectl get -f -</c>), in no particular order.</summary>
    public async Task<IReadOnlyList<KubeObject>> GetAsync(IEnumerable<KubeObject> objects, string? @namespace = null)
    {
        var result = await PipeAsync(List(objects), ["get", "-f", "-", "-o", "json", .. @namespace is null ? Array.Empty<string>() : ["-n", @namespace]]);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"kubectl get -f - failed: {result.AllOutput.Trim()}");
        }

        var list = JsonNode.Parse(result.StandardOutput)!.AsObject();
        return [.. (list["kind"].Text() == "List" ? list.Items() : [list]).Select(item => new KubeObject(item))];
    }

    /// <summary>The field manager Argo CD applies with (argo-cd common/common.go ArgoCDSSAManager).</summary>
    public const string ArgoCdFieldManager = "argocd-controller";

    /// <summary>A v1 List, which kubectl applies item by item in order.</summary>
    public static string List(IEnumerable<KubeObject> objects) =>
        new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "List",
            ["items"] = new JsonArray([.. objects.Select(item => item.Json.DeepClone())]),
        }.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
}
