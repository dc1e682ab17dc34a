namespace Stack.Policy.Kubernetes;

/// <summary>The <c>request</c> a policy sees offline: the object being created, by a dry run.</summary>
internal static class AdmissionRequest
{
    public static Dictionary<string, object?> For(Manifest manifest) => new(StringComparer.Ordinal)
    {
        ["kind"] = new Dictionary<string, object?> { ["group"] = manifest.Group, ["version"] = manifest.Version, ["kind"] = manifest.Kind },
        ["resource"] = new Dictionary<string, object?> { ["group"] = manifest.Group, ["version"] = manifest.Version, ["resource"] = KubernetesKinds.Resource(manifest.Kind) },
        ["name"] = manifest.Name,
        ["namespace"] = manifest.Namespace,
        ["operation"] = "CREATE",
        ["dryRun"] = true,
        ["userInfo"] = new Dictionary<string, object?> { ["username"] = "stack-policy-check" },
    };
}
