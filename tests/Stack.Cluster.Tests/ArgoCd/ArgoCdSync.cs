using System.Text;
using System.Text.Json.Nodes;
using Stack.Cluster.Tests.Kubernetes;

namespace Stack.Cluster.Tests.ArgoCd;

/// <summary>What one simulated sync met, step by step; every list empty means a clean first sync.</summary>
internal sealed class SyncReport
{
    /// <summary>Each step as applied: "wave 0: ServiceAccount/cache, ...".</summary>
    public List<string> Steps { get; } = [];

    /// <summary>Objects the API server refused (kubectl's own words), with their step.</summary>
    public List<string> ApplyFailures { get; } = [];

    /// <summary>Pod templates applied before the ServiceAccount, ConfigMap or Secret (or key) their pods need.</summary>
    public List<string> MissingDependencies { get; } = [];

    /// <summary>Objects the controllers had not acted on when the wait for their step ran out.</summary>
    public List<string> NotActedOn { get; } = [];

    /// <summary>Warning events in the namespace once the sync is over (e.g. FailedCreate).</summary>
    public List<string> Warnings { get; } = [];

    /// <summary>Jobs, ReplicaSets and StatefulSets without the pods they should have created, once the sync is over.</summary>
    public List<string> WorkloadsWithoutPods { get; } = [];

    /// <summary>The steps, for a failure message: what was applied in which order.</summary>
    public string Order => string.Join("\n", Steps);
}

/// <summary>
/// A sync of one Argo CD application, played against the real API server the way Argo CD documents
/// and gitops-engine implements it: the destination namespace created first (CreateNamespace=true),
/// then phase by phase and wave by wave (<see cref="SyncOrder"/>), each step applied server-side with
/// Argo CD's field manager, and the next step started only once the controllers have acted on this one.
/// Argo CD waits for health instead (a Deployment Available, a hook Job Complete), which never
/// comes without a kubelet: here a step is done when the controllers have created what they should
/// (ReplicaSets, Pods, an HPA's first scale), or after <see cref="StepTimeout"/>. Nothing stops at a
/// failure: the whole sync is played, and everything it met is in the <see cref="SyncReport"/>.
/// </summary>
internal sealed class ArgoCdSync(KubernetesCluster cluster, string destinationNamespace)
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    private Kubectl Kubectl => cluster.Kubectl;

    /// <summary>The first sync of <paramref name="desired"/> into an empty destination.</summary>
    public async Task<SyncReport> SyncAsync(IReadOnlyList<KubeObject> desired)
    {
        var report = new SyncReport();
        await cluster.EnsureNamespaceAsync(destinationNamespace, fieldManager: Kubectl.ArgoCdFieldManager);
        var plan = SyncOrder.Plan(desired);
        foreach (var step in SyncOrder.Steps(plan))
        {
            var name = step[0].Step;
            report.Steps.Add($"{name}: {string.Join(", ", step.Select(task => task.Object.DisplayName))}");
            report.MissingDependencies.AddRange(await MissingDependenciesAsync(plan, step));

            var applied = await Kubectl.ApplyAsync(step.Select(task => task.Object), destinationNamespace);
            if (applied.ExitCode != 0)
            {
                report.ApplyFailures.Add($"{name}: {applied.StandardError.Trim()}");
            }

            await PlayExternalSecretsOperatorAsync(step.Select(task => task.Object).Where(item => item.Kind == "ExternalSecret"));
            report.NotActedOn.AddRange((await WaitForControllersAsync(step)).Select(why => $"{name}: {why}"));
        }

        var state = await NamespaceState.ReadAsync(Kubectl, destinationNamespace);
        report.Warnings.AddRange(state.Warnings);
        report.WorkloadsWithoutPods.AddRange(state.WorkloadsWithoutTheirPods());
        return report;
    }

    /// <summary>
    /// A second sync of the same objects (without hooks, which Argo CD recreates on every sync by
    /// design and leaves out of sync status): for each object whose API server copy changed, its
    /// generation (or resourceVersion, for kinds without one) before and after, and what git says
    /// that the server stores otherwise.
    /// </summary>
    public async Task<IReadOnlyList<string>> ResyncAsync(IReadOnlyList<KubeObject> desired)
    {
        var objects = SyncOrder.Plan(desired).Where(task => !task.IsHook).Select(task => task.Object).ToList();
        var before = await LiveAsync(objects);
        foreach (var step in SyncOrder.Steps(SyncOrder.Plan(objects)))
        {
            var applied = await Kubectl.ApplyAsync(step.Select(task => task.Object), destinationNamespace);
            if (applied.ExitCode != 0)
            {
                throw new InvalidOperationException($"the second apply of {step[0].Step} failed: {applied.StandardError.Trim()}");
            }
        }

        var after = await LiveAsync(objects);
        var changes = new List<string>();
        foreach (var item in objects)
        {
            var (old, now) = (before[item.Key], after[item.Key]);
            var (was, @is) = old.Generation is { } generation
                ? ($"generation {generation}", $"generation {now.Generation}")
                : ($"resourceVersion {old.ResourceVersion}", $"resourceVersion {now.ResourceVersion}");
            if (was != @is)
            {
                var stored = LiveDifference.StoredOtherwise(item, now);
                changes.Add($"{item.DisplayName}: {was} became {@is}"
                    + (stored.Count > 0 ? $"; git says, the API server stores otherwise: {string.Join("; ", stored)}" : ""));
            }
        }

        return changes;
    }

    /// <summary>The API server's copy of each of <paramref name="objects"/>, by <see cref="KubeObject.Key"/> of git's object.</summary>
    public async Task<IReadOnlyDictionary<string, KubeObject>> LiveAsync(IReadOnlyList<KubeObject> objects)
    {
        var live = await Kubectl.GetAsync(objects, destinationNamespace);
        return objects.ToDictionary(item => item.Key, item => live.FirstOrDefault(found =>
                found.Group == item.Group && found.Kind == item.Kind && found.Name == item.Name && (item.Namespace is null || found.Namespace == item.Namespace))
            ?? throw new InvalidOperationException($"{item.DisplayName} is not in the cluster"));
    }

    /// <summary>
    /// Pods that the workloads of this step would create, and what of theirs does not exist yet:
    /// what the cluster holds now plus what this step applies before them (kind order puts
    /// ServiceAccounts, Secrets and ConfigMaps before workloads), with where the sync brings it, if anywhere.
    /// </summary>
    private async Task<IEnumerable<string>> MissingDependenciesAsync(IReadOnlyList<SyncTask> plan, IReadOnlyList<SyncTask> step)
    {
        var workloads = step.Where(task => PodTemplates.PodSpec(task.Object) is not null).ToList();
        if (workloads.Count == 0)
        {
            return [];
        }

        var available = (await Kubectl.ListAsync(destinationNamespace, "serviceaccounts,configmaps,secrets")).ToList();
        var missing = new List<string>();
        foreach (var workload in workloads)
        {
            var earlier = step.TakeWhile(task => task != workload).Select(task => task.Object);
            var absent = PodTemplates.Dependencies(workload.Object)
                .Where(dependency => !Provides(available.Concat(earlier), dependency))
                .Select(dependency => (dependency, later: plan.FirstOrDefault(task => Provides([task.Object], dependency))))
                .ToList();
            if (absent.Count == 0)
            {
                continue;
            }

            var deadlock = workload.IsHook && absent.Any(pair => pair.later is not null)
                ? "; Argo CD waits for a hook to finish before the next wave, and its pods cannot start: the sync never gets past this step"
                : "";
            missing.Add($"{step[0].Step}: {workload.Object.DisplayName} needs "
                + string.Join(", ", absent.Select(pair => $"{pair.dependency} ({(pair.later is null ? "in no step of this sync" : $"synced later, in {pair.later.Step}")})"))
                + deadlock);
        }

        return missing;
    }

    private static bool Provides(IEnumerable<KubeObject> objects, PodDependency dependency) =>
        objects.Any(item => item.Kind == dependency.Kind && item.Name == dependency.Name
            && (dependency.Key is null || new[] { "data", "binaryData", "stringData" }.Any(field => item.Json[field] is JsonObject data && data.ContainsKey(dependency.Key))));

    /// <summary>
    /// What the External Secrets Operator would do for each ExternalSecret (External Secrets runs no
    /// controller here): create its target Secret, owned by it, with every key it lists
    /// (<c>spec.data[].secretKey</c>) and a dummy value of letters and digits.
    /// </summary>
    private async Task PlayExternalSecretsOperatorAsync(IEnumerable<KubeObject> externalSecrets)
    {
        foreach (var externalSecret in externalSecrets)
        {
            var live = (await LiveAsync([externalSecret]))[externalSecret.Key];
            var data = new JsonObject();
            foreach (var entry in (externalSecret.Spec?["data"] as JsonArray ?? []).OfType<JsonObject>())
            {
                data[entry["secretKey"].Text()!] = Convert.ToBase64String(Encoding.ASCII.GetBytes("stackclustertests0123456789"));
            }

            var secret = new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Secret",
                ["metadata"] = new JsonObject
                {
                    ["name"] = externalSecret.Spec?["target"]?["name"].Text() ?? externalSecret.Name,
                    ["namespace"] = destinationNamespace,
                    ["ownerReferences"] = new JsonArray(new JsonObject
                    {
                        ["apiVersion"] = externalSecret.ApiVersion,
                        ["kind"] = externalSecret.Kind,
                        ["name"] = externalSecret.Name,
                        ["uid"] = live.Uid,
                        ["controller"] = true,
                        ["blockOwnerDeletion"] = true,
                    }),
                },
                ["type"] = "Opaque",
                ["data"] = data,
            };
            var result = await Kubectl.ApplyAsync([new KubeObject(secret)], fieldManager: "external-secrets");
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException($"the Secret of {externalSecret.DisplayName} could not be created: {result.AllOutput.Trim()}");
            }
        }
    }

    /// <summary>Waits (bounded) until the controllers have acted on every object of the step that they act on; returns those they have not.</summary>
    private async Task<IReadOnlyList<string>> WaitForControllersAsync(IReadOnlyList<SyncTask> step)
    {
        var watched = step.Select(task => task.Object).Where(item => NamespaceState.ControlledKinds.Contains(item.Kind)).ToList();
        var deadline = DateTime.UtcNow + StepTimeout;
        while (true)
        {
            if (watched.Count == 0)
            {
                return [];
            }

            var state = await NamespaceState.ReadAsync(Kubectl, destinationNamespace);
            var waiting = watched.Select(item => (item, why: state.WhyNotActed(item))).Where(pair => pair.why is not null).ToList();
            if (waiting.Count == 0)
            {
                return [];
            }

            if (DateTime.UtcNow > deadline)
            {
                return [.. waiting.Select(pair => $"{pair.item.DisplayName}: {pair.why} after {StepTimeout.TotalSeconds:0} s")];
            }

            await Task.Delay(PollInterval);
        }
    }
}
