using System.Text.Json.Nodes;

namespace Stack.Cluster.Tests.Kubernetes;

/// <summary>An object a pod needs before its containers can start: its ServiceAccount, or a ConfigMap or Secret (with one of its keys).</summary>
internal sealed record PodDependency(string Kind, string Name, string? Key)
{
    public override string ToString() => Key is null ? $"{Kind} {Name}" : $"key {Key} of {Kind} {Name}";
}

/// <summary>The pod specs of workloads, and what they depend on.</summary>
internal static class PodTemplates
{
    /// <summary>The pod spec of a Pod or of a workload's pod template; null for kinds that create no pods.</summary>
    public static JsonObject? PodSpec(KubeObject item) => item.Kind switch
    {
        "Pod" => item.Spec,
        "CronJob" => item.Spec?["jobTemplate"]?["spec"]?["template"]?["spec"] as JsonObject,
        "Deployment" or "StatefulSet" or "DaemonSet" or "ReplicaSet" or "ReplicationController" or "Job" or "Rollout" =>
            item.Spec?["template"]?["spec"] as JsonObject,
        _ => null,
    };

    /// <summary>
    /// Every ServiceAccount, ConfigMap and Secret (and key) the pods of <paramref name="item"/> name
    /// without <c>optional: true</c>: the API server refuses a pod whose ServiceAccount is missing; a
    /// kubelet holds the others' containers in CreateContainerConfigError until they exist.
    /// </summary>
    public static IReadOnlyList<PodDependency> Dependencies(KubeObject item)
    {
        if (PodSpec(item) is not { } pod)
        {
            return [];
        }

        var found = new List<PodDependency>
        {
            new("ServiceAccount", Text(pod["serviceAccountName"]) ?? Text(pod["serviceAccount"]) ?? "default", null),
        };
        foreach (var container in Objects(pod["containers"]).Concat(Objects(pod["initContainers"])))
        {
            foreach (var source in Objects(container["envFrom"]))
            {
                found.AddRange(Named("ConfigMap", source["configMapRef"], "name", keys: null));
                found.AddRange(Named("Secret", source["secretRef"], "name", keys: null));
            }

            foreach (var variable in Objects(container["env"]))
            {
                var from = variable["valueFrom"];
                found.AddRange(Named("ConfigMap", from?["configMapKeyRef"], "name", Text(from?["configMapKeyRef"]?["key"]) is { } configMapKey ? [configMapKey] : null));
                found.AddRange(Named("Secret", from?["secretKeyRef"], "name", Text(from?["secretKeyRef"]?["key"]) is { } secretKey ? [secretKey] : null));
            }
        }

        foreach (var volume in Objects(pod["volumes"]))
        {
            found.AddRange(Named("ConfigMap", volume["configMap"], "name", ItemKeys(volume["configMap"])));
            found.AddRange(Named("Secret", volume["secret"], "secretName", ItemKeys(volume["secret"])));
            foreach (var source in Objects(volume["projected"]?["sources"]))
            {
                found.AddRange(Named("ConfigMap", source["configMap"], "name", ItemKeys(source["configMap"])));
                found.AddRange(Named("Secret", source["secret"], "name", ItemKeys(source["secret"])));
            }
        }

        foreach (var secret in Objects(pod["imagePullSecrets"]))
        {
            found.AddRange(Named("Secret", secret, "name", keys: null));
        }

        return [.. found.Distinct()];
    }

    private static IEnumerable<PodDependency> Named(string kind, JsonNode? reference, string nameField, IReadOnlyList<string>? keys)
    {
        if (reference is not JsonObject || Text(reference[nameField]) is not { } name || reference["optional"]?.GetValue<bool>() == true)
        {
            return [];
        }

        return keys is null or { Count: 0 } ? [new PodDependency(kind, name, null)] : keys.Select(key => new PodDependency(kind, name, key));
    }

    private static string[]? ItemKeys(JsonNode? source) =>
        source?["items"] is JsonArray items ? [.. items.OfType<JsonObject>().Select(item => Text(item["key"])).OfType<string>()] : null;

    private static IEnumerable<JsonObject> Objects(JsonNode? list) => (list as JsonArray ?? []).OfType<JsonObject>();

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
