using Stack.Policy.Kubernetes;

namespace Stack.Policy.Admission;

/// <summary>
/// One entry of resourceRules: which API groups, versions and resources (plural names, such as
/// deployments) a policy judges, with <c>*</c> for any. Offline every object is judged as a CREATE.
/// </summary>
internal sealed record ResourceRule(
    IReadOnlyList<string> ApiGroups,
    IReadOnlyList<string> ApiVersions,
    IReadOnlyList<string> Resources,
    IReadOnlyList<string> Operations,
    IReadOnlyList<string> ResourceNames)
{
    public static IReadOnlyList<ResourceRule> Parse(IReadOnlyDictionary<string, object?>? owner, string field, string policy) =>
        [.. Fields.Maps(owner, field, policy).Select(rule => new ResourceRule(
            Fields.Strings(rule, "apiGroups", policy),
            Fields.Strings(rule, "apiVersions", policy),
            Fields.Strings(rule, "resources", policy),
            Fields.Strings(rule, "operations", policy),
            Fields.Strings(rule, "resourceNames", policy)))];

    /// <summary>Whether the rule admits a CREATE at all: the only operation the offline engine judges.</summary>
    public bool JudgesCreation => Operations.Count == 0 || AnyOrContains(Operations, "CREATE");

    public bool Matches(Manifest manifest)
    {
        var resource = KubernetesKinds.Resource(manifest.Kind);
        return AnyOrContains(ApiGroups, manifest.Group)
            && AnyOrContains(ApiVersions, manifest.Version)
            && JudgesCreation
            && (ResourceNames.Count == 0 || ResourceNames.Contains(manifest.Name))
            // "pods/status" names a subresource, never the object itself; "*" and "*/*" name every resource.
            && Resources.Any(entry => entry is "*" or "*/*" || entry == resource);
    }

    private static bool AnyOrContains(IReadOnlyList<string> values, string value) => values.Contains("*") || values.Contains(value);
}
