using System.Text.Json.Nodes;

namespace Stack.Cluster.Tests.Kubernetes;

/// <summary>A running cluster as the tests use it: kubectl pointed at it, and a folder for files.</summary>
internal sealed class KubernetesCluster(Kubectl kubectl, string directory)
{
    /// <summary>The field manager of what the tests themselves put in the cluster (not part of the tree).</summary>
    public const string TestFieldManager = "stack-cluster-tests";

    public Kubectl Kubectl { get; } = kubectl;

    /// <summary>A folder that lives as long as the control plane, for rendered or mutated files.</summary>
    public string ScratchDirectory(string name)
    {
        var path = Path.Combine(directory, "scratch", name);
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Applies every CRD under <paramref name="folder"/> (server-side: some are too large for client-side apply) and waits until each is Established.</summary>
    public async Task InstallCrdsAsync(string folder)
    {
        await Kubectl.RequireAsync("apply", "--server-side", $"--field-manager={TestFieldManager}", "--recursive", "-f", folder);
        // kubectl wait fails at once, instead of waiting, on a CRD whose status has no conditions yet
        // (".status.conditions accessor error"): a large CRD applied a moment ago. Ask again then.
        for (var attempt = 1; ; attempt++)
        {
            var waited = await Kubectl.RunAsync("wait", "--for=condition=Established", "customresourcedefinitions", "--all", "--timeout=90s");
            if (waited.ExitCode == 0 || attempt == 5 || !waited.AllOutput.Contains(".status.conditions accessor error", StringComparison.Ordinal))
            {
                if (waited.ExitCode != 0)
                {
                    throw new InvalidOperationException($"kubectl wait --for=condition=Established customresourcedefinitions --all --timeout=90s failed ({waited.ExitCode}): {waited.AllOutput.Trim()}");
                }

                return;
            }

            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>Applies a namespace named <paramref name="name"/> with <paramref name="labels"/> (server-side, so it may exist already).</summary>
    public async Task EnsureNamespaceAsync(string name, IReadOnlyDictionary<string, string>? labels = null, string fieldManager = TestFieldManager)
    {
        var metadata = new JsonObject { ["name"] = name };
        if (labels is { Count: > 0 })
        {
            metadata["labels"] = new JsonObject(labels.Select(label => KeyValuePair.Create(label.Key, (JsonNode?)label.Value)));
        }

        var result = await Kubectl.ApplyAsync([new KubeObject(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = metadata })], fieldManager: fieldManager);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"namespace {name} could not be applied: {result.AllOutput.Trim()}");
        }
    }
}
