namespace Stack.Policy.Admission;

/// <summary>
/// Which objects a policy (matchConstraints) or a binding (matchResources) applies to.
/// The namespaceSelector is not evaluated offline: the gate cannot see the cluster's namespace
/// labels, and every manifest it is given is meant for a namespace the policies enforce.
/// </summary>
internal sealed class MatchResources
{
    private readonly IReadOnlyList<ResourceRule> _rules;
    private readonly IReadOnlyList<ResourceRule> _excluded;
    private readonly LabelSelector _objectSelector;

    private MatchResources(IReadOnlyList<ResourceRule> rules, IReadOnlyList<ResourceRule> excluded, LabelSelector objectSelector)
    {
        _rules = rules;
        _excluded = excluded;
        _objectSelector = objectSelector;
    }

    public static MatchResources Parse(IReadOnlyDictionary<string, object?>? match, string policy) =>
        new(ResourceRule.Parse(match, "resourceRules", policy),
            ResourceRule.Parse(match, "excludeResourceRules", policy),
            LabelSelector.Parse(match, "objectSelector", policy));

    public bool HasRules => _rules.Count > 0;

    /// <summary>Whether any object is judged when it is created (a policy of updates and deletions only never is, offline).</summary>
    public bool JudgesCreation => _rules.Any(rule => rule.JudgesCreation);

    /// <summary>Whether the object is in scope; a binding without resourceRules narrows nothing.</summary>
    public bool Matches(Manifest manifest)
    {
        var labels = (manifest.Content.GetValueOrDefault("metadata") as Dictionary<string, object?>)?.GetValueOrDefault("labels") as Dictionary<string, object?> ?? [];
        return (_rules.Count == 0 || _rules.Any(rule => rule.Matches(manifest)))
            && !_excluded.Any(rule => rule.Matches(manifest))
            && _objectSelector.Matches(labels);
    }
}
