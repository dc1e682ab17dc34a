using System.Text.Json.Nodes;
using Stack.Cluster.Tests.Kubernetes;

namespace Stack.Cluster.Tests.ArgoCd;

/// <summary>
/// What the controllers have made of a namespace at one moment: its workloads, their pods, and the
/// events they reported. Read with one <c>kubectl get</c>, so every question is answered from the same moment.
/// </summary>
internal sealed class NamespaceState(IReadOnlyList<KubeObject> objects)
{
    /// <summary>The kinds whose controllers create pods (directly or through a ReplicaSet), and the HPA that scales them.</summary>
    public static readonly HashSet<string> ControlledKinds = ["Deployment", "ReplicaSet", "StatefulSet", "Job", "HorizontalPodAutoscaler"];

    public static async Task<NamespaceState> ReadAsync(Kubectl kubectl, string @namespace) =>
        new(await kubectl.ListAsync(@namespace, "pods,replicasets,deployments,statefulsets,jobs,horizontalpodautoscalers,events"));

    /// <summary>
    /// The Warning events, one line each. The HPA's complaints that the resource metrics API is missing
    /// are left out: this control plane has no metrics-server, as a real cluster would. So are its
    /// complaints that a Rollout has no <c>spec.replicas</c> yet: an autoscaled Rollout leaves them to
    /// the HPA, and Argo Rollouts' controller (not run here) sets the missing field to 1 as soon as it sees it.
    /// </summary>
    public IReadOnlyList<string> Warnings => [.. Events
        .Where(item => Text(item.Json["type"]) == "Warning")
        .Where(item => !IsMissingMetricsServer(item) && !IsRolloutBeforeItsController(item) && !IsClusterIpRepair(item))
        .Select(item => $"{Text(item.Json["involvedObject"]?["kind"])}/{Text(item.Json["involvedObject"]?["name"])}: {Text(item.Json["reason"])}: {Text(item.Json["message"])}")
        .Distinct()];

    /// <summary>
    /// Why the controllers have not yet acted on <paramref name="desired"/> (null once they have): a
    /// Deployment has its ReplicaSet with all its pods, a StatefulSet its first pod (all of them when
    /// Parallel), a Job its pod, an HPA its first status and its target within bounds. A controller that
    /// reported FailedCreate for it has acted too: the failure is what there is to see.
    /// </summary>
    public string? WhyNotActed(KubeObject desired)
    {
        if (Find(desired.Kind, desired.Name) is not { } live)
        {
            return "not found";
        }

        if (Events.Any(item => Text(item.Json["involvedObject"]?["uid"]) == live.Uid && Text(item.Json["reason"]) == "FailedCreate"))
        {
            return null;
        }

        return live.Kind switch
        {
            "Deployment" => WhyDeploymentNotRolledOut(live),
            "ReplicaSet" or "StatefulSet" or "Job" => MissingPods(live),
            "HorizontalPodAutoscaler" => WhyAutoscalerNotActed(live),
            _ => null,
        };
    }

    /// <summary>Every Job, ReplicaSet and StatefulSet of the namespace that has not created the pods it should have.</summary>
    public IReadOnlyList<string> WorkloadsWithoutTheirPods() =>
        [.. objects.Where(item => item.Kind is "Job" or "ReplicaSet" or "StatefulSet")
            .Select(item => (item, why: MissingPods(item)))
            .Where(pair => pair.why is not null)
            .Select(pair => $"{pair.item.DisplayName}: {pair.why}")];

    private IEnumerable<KubeObject> Events => objects.Where(item => item.Kind == "Event");

    private KubeObject? Find(string kind, string name) => objects.FirstOrDefault(item => item.Kind == kind && item.Name == name);

    private IEnumerable<KubeObject> Owned(KubeObject owner, string kind) => objects.Where(item => item.Kind == kind && item.IsOwnedBy(owner));

    private string? WhyDeploymentNotRolledOut(KubeObject deployment)
    {
        if ((Number(deployment.Status?["observedGeneration"]) ?? 0) < (deployment.Generation ?? 0))
        {
            return "the deployment controller has not observed its latest generation";
        }

        var replicas = Number(deployment.Spec?["replicas"]) ?? 1;
        var sets = Owned(deployment, "ReplicaSet").ToList();
        if (sets.Count == 0)
        {
            return "no ReplicaSet";
        }

        var current = sets.FirstOrDefault(set => Number(set.Spec?["replicas"]) == replicas);
        return current is null
            ? $"no ReplicaSet with its {replicas} replica(s)"
            : MissingPods(current);
    }

    private string? WhyAutoscalerNotActed(KubeObject autoscaler)
    {
        if (autoscaler.Status?["conditions"] is not JsonArray { Count: > 0 })
        {
            return "the HPA controller has not reconciled it";
        }

        var target = autoscaler.Spec?["scaleTargetRef"];
        if (Find(Text(target?["kind"]) ?? "", Text(target?["name"]) ?? "") is not { } workload)
        {
            return null;
        }

        var replicas = Number(workload.Spec?["replicas"]) ?? 1;
        var (minimum, maximum) = (Number(autoscaler.Spec?["minReplicas"]) ?? 1, Number(autoscaler.Spec?["maxReplicas"]) ?? long.MaxValue);
        return replicas >= minimum && replicas <= maximum ? null : $"{workload.DisplayName} has {replicas} replica(s), outside {minimum}..{maximum}";
    }

    /// <summary>Why a Job, ReplicaSet or StatefulSet lacks pods it should have created, or null.</summary>
    private string? MissingPods(KubeObject workload)
    {
        var replicas = Number(workload.Spec?["replicas"]) ?? 1;
        var expected = workload.Kind switch
        {
            // OrderedReady (the default) creates pod N+1 only once pod N is Ready, which no pod becomes here.
            "StatefulSet" => Text(workload.Spec?["podManagementPolicy"]) == "Parallel" ? replicas : Math.Min(replicas, 1),
            "Job" => workload.Spec?["suspend"]?.GetValue<bool>() == true || HasCondition(workload, "Complete") ? 0 : Math.Min(Number(workload.Spec?["parallelism"]) ?? 1, 1),
            _ => replicas,
        };
        var pods = Owned(workload, "Pod").Count();
        return pods >= expected ? null : pods == 0 ? "no Pod" : $"{pods} of {expected} Pods";
    }

    private static bool HasCondition(KubeObject item, string type) =>
        (item.Status?["conditions"] as JsonArray ?? []).Any(condition => Text(condition?["type"]) == type && Text(condition?["status"]) == "True");

    private static bool IsMissingMetricsServer(KubeObject warning) =>
        Text(warning.Json["involvedObject"]?["kind"]) == "HorizontalPodAutoscaler"
        && Text(warning.Json["reason"]) is "FailedGetResourceMetric" or "FailedComputeMetricsReplicas"
        && (Text(warning.Json["message"]) ?? "").Contains("resource metrics API", StringComparison.Ordinal);

    private static bool IsRolloutBeforeItsController(KubeObject warning) =>
        Text(warning.Json["involvedObject"]?["kind"]) == "HorizontalPodAutoscaler"
        && Text(warning.Json["reason"]) == "FailedGetScale"
        && (Text(warning.Json["message"]) ?? "").Contains("the spec replicas field \".spec.replicas\" does not exist", StringComparison.Ordinal);

    // The API server's own bookkeeping: its repair loop can run between a Service's IP allocation and
    // the allocation's record and "repair" an IP it then finds allocated (seen as a flaky sync test).
    // It says nothing about the manifests, which is what the warnings are checked for.
    private static bool IsClusterIpRepair(KubeObject warning) =>
        Text(warning.Json["involvedObject"]?["kind"]) == "Service"
        && Text(warning.Json["reason"]) == "ClusterIPNotAllocated";

    private static string? Text(JsonNode? node) => node.Text();

    private static long? Number(JsonNode? node) => node is JsonValue value && value.TryGetValue<long>(out var number) ? number : null;
}
