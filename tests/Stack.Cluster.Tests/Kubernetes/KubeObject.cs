using System.Text.Json;
using System.Text.Json.Nodes;
using Stack.Policy;

namespace Stack.Cluster.Tests.Kubernetes;

/// <summary>One Kubernetes object as JSON: what git says (rendered) or what the API server stores (live).</summary>
internal sealed class KubeObject(JsonObject json)
{
    public JsonObject Json { get; } = json;

    public string ApiVersion => Json["apiVersion"]?.GetValue<string>() ?? "";

    public string Kind => Json["kind"]?.GetValue<string>() ?? "";

    /// <summary>The API group: empty for the core group.</summary>
    public string Group => ApiVersion.Contains('/') ? ApiVersion[..ApiVersion.IndexOf('/')] : "";

    public string Name => Metadata?["name"]?.GetValue<string>() ?? "";

    public string? Namespace => Metadata?["namespace"]?.GetValue<string>();

    public string? Uid => Metadata?["uid"]?.GetValue<string>();

    public long? Generation => Metadata?["generation"]?.GetValue<long>();

    public string? ResourceVersion => Metadata?["resourceVersion"]?.GetValue<string>();

    public JsonObject? Spec => Json["spec"] as JsonObject;

    public JsonObject? Status => Json["status"] as JsonObject;

    /// <summary>Kind/name, with the namespace when there is one: how a person names the object.</summary>
    public string DisplayName => Namespace is null ? $"{Kind}/{Name}" : $"{Kind}/{Name} ({Namespace})";

    /// <summary>Group, kind, namespace and name: what identifies the object in a cluster.</summary>
    public string Key => $"{Group}/{Kind}/{Namespace}/{Name}";

    private JsonObject? Metadata => Json["metadata"] as JsonObject;

    public string? Annotation(string key) => (Metadata?["annotations"] as JsonObject)?[key]?.GetValue<string>();

    public string? Label(string key) => (Metadata?["labels"] as JsonObject)?[key]?.GetValue<string>();

    /// <summary>Whether <paramref name="owner"/> is this object's controller (an owner reference with its uid).</summary>
    public bool IsOwnedBy(KubeObject owner) =>
        Metadata?["ownerReferences"] is JsonArray references
        && references.Any(reference => reference?["uid"]?.GetValue<string>() == owner.Uid);

    /// <summary>Every object of every YAML document in <paramref name="yaml"/>, typed as the policy engine reads YAML.</summary>
    /// <exception cref="InvalidOperationException">The YAML holds something that is not a Kubernetes object.</exception>
    public static IReadOnlyList<KubeObject> Parse(string yaml, string source)
    {
        var read = ManifestLoader.Parse(yaml, source);
        if (read.Problems.Count > 0)
        {
            throw new InvalidOperationException(string.Join("; ", read.Problems.Select(problem => $"{problem.Source}:{problem.Line}: {problem.Message}")));
        }

        return [.. read.Manifests.Select(manifest => new KubeObject(JsonSerializer.SerializeToNode(manifest.Content)!.AsObject()))];
    }

    public override string ToString() => DisplayName;
}

/// <summary>Reading Kubernetes JSON.</summary>
internal static class KubernetesJson
{
    /// <summary>The items of a List.</summary>
    public static IEnumerable<JsonObject> Items(this JsonObject list) =>
        (list["items"] as JsonArray ?? []).OfType<JsonObject>();

    /// <summary>The string a node holds, or null when it is absent or not a string.</summary>
    public static string? Text(this JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
