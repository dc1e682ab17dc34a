using System.Text.Json.Nodes;

namespace Stack.Cluster.Tests.Kubernetes;

/// <summary>
/// Where a live object differs from what applying git's version of it would make it: Argo CD's
/// structured-merge diff for server-side apply (gitops-engine pkg/diff <c>structuredMergeDiff</c>),
/// simplified. Git's object is merged onto the live one as server-side apply merges (maps by key;
/// lists whose items are maps with a <c>name</c> by name; every other list is replaced), and the
/// result is compared with the live object. A difference that survives every apply is a perpetual
/// OutOfSync. Ignored, as Argo CD ignores them: status, and the metadata the server writes
/// (managedFields, resourceVersion, uid, creationTimestamp, generation, kubectl's last-applied annotation).
/// </summary>
internal static class LiveDifference
{
    /// <summary>The API groups of Kubernetes' own kinds, whose Go types Argo CD round-trips git's objects through.</summary>
    private static readonly HashSet<string> BuiltInGroups =
    [
        "", "apps", "batch", "autoscaling", "policy", "networking.k8s.io", "rbac.authorization.k8s.io",
        "storage.k8s.io", "scheduling.k8s.io", "coordination.k8s.io", "discovery.k8s.io", "node.k8s.io",
        "admissionregistration.k8s.io", "apiextensions.k8s.io", "certificates.k8s.io",
    ];

    /// <summary>
    /// What Argo CD would show as a diff that no sync removes, one line per JSON path. Like Argo CD,
    /// git's built-in objects are first normalized as their Go types would (gitops-engine
    /// <c>remarshal</c>: omitempty drops empty lists and maps), and Kubernetes' defaults are filled in
    /// on both sides (<c>normalizeTypedValue</c>), so a default the server adds inside a list that
    /// server-side apply replaces wholesale is no difference.
    /// </summary>
    public static IReadOnlyList<string> OutOfSync(KubeObject desired, KubeObject live)
    {
        var git = BuiltInGroups.Contains(desired.Group) ? WithoutEmptyCollections(desired.Json)! : desired.Json.DeepClone();
        var predicted = Merge(live.Json, git)!.AsObject();
        KubernetesDefaults.Fill(new KubeObject(predicted));
        return Compare(Normalize(predicted), Normalize(live.Json));
    }

    /// <summary>
    /// Every field git sets that the API server stores otherwise, or not at all, taken literally
    /// (no normalization): what a reader of the rendered file would expect to find in the cluster.
    /// </summary>
    public static IReadOnlyList<string> StoredOtherwise(KubeObject desired, KubeObject live) =>
        Compare(Normalize(Merge(live.Json, desired.Json)!.AsObject()), Normalize(live.Json));

    /// <summary>Server-side apply's merge of <paramref name="desired"/> onto <paramref name="live"/> (neither is changed).</summary>
    public static JsonNode? Merge(JsonNode? live, JsonNode? desired)
    {
        switch (desired)
        {
            case JsonObject desiredMap when live is JsonObject liveMap:
                var merged = liveMap.DeepClone().AsObject();
                foreach (var (key, value) in desiredMap)
                {
                    if (value is not null)
                    {
                        merged[key] = Merge(liveMap[key], value);
                    }
                }

                return merged;
            case JsonArray desiredList when live is JsonArray liveList && IsKeyedByName(desiredList) && IsKeyedByName(liveList):
                var items = liveList.Select(item => item!.DeepClone()).ToList();
                foreach (var item in desiredList)
                {
                    var index = items.FindIndex(existing => Name(existing) == Name(item));
                    if (index < 0)
                    {
                        items.Add(item!.DeepClone());
                    }
                    else
                    {
                        items[index] = Merge(items[index], item)!;
                    }
                }

                return new JsonArray([.. items]);
            default:
                return desired?.DeepClone();
        }
    }

    /// <summary>Each path where the two differ, as "path: git X, cluster Y".</summary>
    private static List<string> Compare(JsonNode? predicted, JsonNode? live, string path = "")
    {
        var differences = new List<string>();
        switch (predicted, live)
        {
            case (JsonObject predictedMap, JsonObject liveMap):
                foreach (var key in predictedMap.Select(pair => pair.Key).Union(liveMap.Select(pair => pair.Key)))
                {
                    differences.AddRange(Compare(predictedMap[key], liveMap[key], path.Length == 0 ? key : $"{path}.{key}"));
                }

                break;
            case (JsonArray predictedList, JsonArray liveList) when predictedList.Count == liveList.Count:
                for (var i = 0; i < predictedList.Count; i++)
                {
                    var index = Name(predictedList[i]) is { } name && name == Name(liveList[i]) ? $"name={name}" : i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    differences.AddRange(Compare(predictedList[i], liveList[i], $"{path}[{index}]"));
                }

                break;
            default:
                if (!JsonNode.DeepEquals(predicted, live))
                {
                    differences.Add($"{path}: git {Show(predicted)}, cluster {Show(live)}");
                }

                break;
        }

        return differences;
    }

    private static string Show(JsonNode? node) => node is null ? "(absent)" : node.ToJsonString();

    /// <summary>A copy without the fields the server owns, which no diff compares.</summary>
    private static JsonObject Normalize(JsonObject item)
    {
        var copy = item.DeepClone().AsObject();
        copy.Remove("status");
        if (copy["metadata"] is JsonObject metadata)
        {
            foreach (var field in new[] { "managedFields", "resourceVersion", "uid", "creationTimestamp", "generation", "selfLink" })
            {
                metadata.Remove(field);
            }

            if (metadata["annotations"] is JsonObject annotations)
            {
                annotations.Remove("kubectl.kubernetes.io/last-applied-configuration");
            }
        }

        return copy;
    }

    /// <summary>A copy with empty lists and maps left out, as Go's omitempty leaves them out.</summary>
    private static JsonNode? WithoutEmptyCollections(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject map:
                var copy = new JsonObject();
                foreach (var (key, value) in map)
                {
                    var kept = WithoutEmptyCollections(value);
                    if (kept is not (JsonArray { Count: 0 } or JsonObject { Count: 0 }))
                    {
                        copy[key] = kept;
                    }
                }

                return copy;
            case JsonArray list:
                return new JsonArray([.. list.Select(WithoutEmptyCollections)]);
            default:
                return node?.DeepClone();
        }
    }

    private static bool IsKeyedByName(JsonArray list) => list.Count > 0 && list.All(item => Name(item) is not null);

    private static string? Name(JsonNode? item) => item is JsonObject map && map["name"] is JsonValue value && value.TryGetValue<string>(out var name) ? name : null;
}
