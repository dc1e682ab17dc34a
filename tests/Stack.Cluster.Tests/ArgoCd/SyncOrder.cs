using Stack.Cluster.Tests.Kubernetes;

namespace Stack.Cluster.Tests.ArgoCd;

/// <summary>One object to apply in one phase of a sync, at its wave.</summary>
/// <param name="Object">The object as rendered from git.</param>
/// <param name="Phase">PreSync, Sync or PostSync.</param>
/// <param name="Wave">The sync wave (annotation argocd.argoproj.io/sync-wave, else 0).</param>
/// <param name="IsHook">Whether it is a hook (annotation argocd.argoproj.io/hook): created by each sync, not compared for sync status.</param>
internal sealed record SyncTask(KubeObject Object, string Phase, int Wave, bool IsHook)
{
    /// <summary>"wave 1 (Sync hook)" or "wave -1": where a person finds the task in the sync.</summary>
    public string Step => IsHook ? $"wave {Wave} ({Phase} hook)" : Phase == SyncOrder.Sync ? $"wave {Wave}" : $"wave {Wave} ({Phase})";
}

/// <summary>
/// The order in which Argo CD applies a sync's objects, as gitops-engine implements and Argo CD documents
/// it (https://argo-cd.readthedocs.io/en/stable/user-guide/sync-waves/): phase (PreSync, Sync,
/// PostSync), then wave ascending, then kind, then name; then namespaces are moved before the first
/// object in them and CRDs before their first custom resource. Source: argoproj/argo-cd v3.5.1,
/// gitops-engine/pkg/sync/sync_tasks.go (<c>syncPhaseOrder</c>, <c>kindOrder</c>, <c>Less</c>,
/// <c>Sort</c>, <c>adjustDeps</c>), sync_phase.go and syncwaves/waves.go.
/// </summary>
internal static class SyncOrder
{
    public const string PreSync = "PreSync";
    public const string Sync = "Sync";
    public const string PostSync = "PostSync";
    private const string SyncFail = "SyncFail";
    private const string Skip = "Skip";

    public const string HookAnnotation = "argocd.argoproj.io/hook";
    public const string WaveAnnotation = "argocd.argoproj.io/sync-wave";
    public const string HookDeletePolicyAnnotation = "argocd.argoproj.io/hook-delete-policy";

    private static readonly Dictionary<string, int> PhaseOrder = new() { [PreSync] = -1, [Sync] = 0, [PostSync] = 1, [SyncFail] = 2 };

    /// <summary>
    /// gitops-engine's <c>kindOrder</c> (itself Helm's install order), verbatim. Kinds not listed
    /// (custom resources among them) sort after every listed kind.
    /// </summary>
    private static readonly string[] KindOrder =
    [
        "Namespace", "NetworkPolicy", "ResourceQuota", "LimitRange", "PodSecurityPolicy", "PodDisruptionBudget",
        "ServiceAccount", "Secret", "SecretList", "ConfigMap", "StorageClass", "PersistentVolume",
        "PersistentVolumeClaim", "CustomResourceDefinition", "ClusterRole", "ClusterRoleList", "ClusterRoleBinding",
        "ClusterRoleBindingList", "Role", "RoleList", "RoleBinding", "RoleBindingList", "Service", "DaemonSet", "Pod",
        "ReplicationController", "ReplicaSet", "Deployment", "HorizontalPodAutoscaler", "StatefulSet", "Job", "CronJob",
        "IngressClass", "Ingress", "APIService",
    ];

    /// <summary>
    /// The tasks of a sync, in the order Argo CD applies them. SyncFail hooks (run only when a sync
    /// fails) and objects marked Skip are left out, as gitops-engine leaves them out of a sync that succeeds.
    /// </summary>
    public static IReadOnlyList<SyncTask> Plan(IEnumerable<KubeObject> objects)
    {
        var tasks = objects
            .SelectMany(item => Phases(item).Select(phase => new SyncTask(item, phase.Phase, Wave(item), phase.IsHook)))
            .Where(task => task.Phase != SyncFail)
            .OrderBy(task => PhaseOrder[task.Phase])
            .ThenBy(task => task.Wave)
            .ThenBy(task => KindRank(task.Object.Kind))
            .ThenBy(task => task.Object.Name, StringComparer.Ordinal)
            .ToList();

        // Namespaces before the objects in them; CRDs before their custom resources.
        AdjustDependencies(tasks,
            task => task.Object.Kind == "Namespace" && task.Object.Group == "" ? task.Object.Name : null,
            task => task.Object.Namespace);
        AdjustDependencies(tasks,
            task => task.Object.Kind == "CustomResourceDefinition" ? CrdKey(task.Object) : null,
            task => $"{task.Object.Group}/{task.Object.Kind}");
        return tasks;
    }

    /// <summary>The tasks grouped into the steps Argo CD applies one after the other: one per phase and wave.</summary>
    public static IEnumerable<IReadOnlyList<SyncTask>> Steps(IReadOnlyList<SyncTask> plan)
    {
        var step = new List<SyncTask>();
        foreach (var task in plan)
        {
            if (step.Count > 0 && (step[0].Phase != task.Phase || step[0].Wave != task.Wave))
            {
                yield return step;
                step = [];
            }

            step.Add(task);
        }

        if (step.Count > 0)
        {
            yield return step;
        }
    }

    /// <summary>gitops-engine's <c>kindOrder</c> value: negative for listed kinds, 0 (last) for every other kind.</summary>
    public static int KindRank(string kind)
    {
        var index = Array.IndexOf(KindOrder, kind);
        return index < 0 ? 0 : index - KindOrder.Length;
    }

    /// <summary>The wave: the annotation when it parses as an integer (Go's strconv.Atoi), else 0 (no Helm hook weight is rendered here).</summary>
    public static int Wave(KubeObject item) =>
        int.TryParse(item.Annotation(WaveAnnotation), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var wave) ? wave : 0;

    /// <summary>
    /// The phases an object takes part in (sync_phase.go, hook/hook.go): an object without the hook
    /// annotation syncs in Sync; a hook in each phase its comma-separated hook types name (none when
    /// they name no phase); an object whose only type is Skip not at all.
    /// </summary>
    private static IEnumerable<(string Phase, bool IsHook)> Phases(KubeObject item)
    {
        if (item.Annotation(HookAnnotation) is not { } annotation)
        {
            return [(Sync, false)];
        }

        var types = annotation.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(type => type is PreSync or Sync or PostSync or SyncFail or Skip)
            .ToList();
        return types is [Skip] ? [] : types.Where(type => type != Skip).Distinct().Select(type => (type, true));
    }

    private static string? CrdKey(KubeObject crd) =>
        crd.Spec?["group"]?.GetValue<string>() is { } group && crd.Spec["names"]?["kind"]?.GetValue<string>() is { } kind ? $"{group}/{kind}" : null;

    /// <summary>
    /// gitops-engine's <c>adjustDeps</c>: a dependency (a namespace, a CRD) that sorts after the first
    /// task referring to it moves to just before that task and takes its phase and wave.
    /// </summary>
    private static void AdjustDependencies(List<SyncTask> tasks, Func<SyncTask, string?> dependencyKey, Func<SyncTask, string?> referencedKey)
    {
        var firstReference = new Dictionary<string, int>();
        for (var i = 0; i < tasks.Count; i++)
        {
            if (dependencyKey(tasks[i]) is { } key)
            {
                if (firstReference.TryGetValue(key, out var index))
                {
                    var moved = tasks[i] with { Phase = tasks[index].Phase, Wave = tasks[index].Wave };
                    tasks.RemoveAt(i);
                    tasks.Insert(index, moved);
                    foreach (var other in firstReference.Keys.ToList())
                    {
                        if (firstReference[other] >= index)
                        {
                            firstReference[other]++;
                        }
                    }
                }
            }
            else if (referencedKey(tasks[i]) is { Length: > 0 } referenced && !firstReference.ContainsKey(referenced))
            {
                firstReference[referenced] = i;
            }
        }
    }
}
