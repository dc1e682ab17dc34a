namespace Stack.Policy.Admission;

/// <summary>A Kubernetes label selector (matchLabels and matchExpressions); an absent or empty selector matches everything.</summary>
internal sealed class LabelSelector
{
    private readonly IReadOnlyDictionary<string, object?> _matchLabels;
    private readonly IReadOnlyList<Dictionary<string, object?>> _matchExpressions;
    private readonly string _policy;

    private LabelSelector(IReadOnlyDictionary<string, object?> matchLabels, IReadOnlyList<Dictionary<string, object?>> matchExpressions, string policy)
    {
        _matchLabels = matchLabels;
        _matchExpressions = matchExpressions;
        _policy = policy;
    }

    public static LabelSelector Parse(IReadOnlyDictionary<string, object?>? owner, string field, string policy)
    {
        var selector = Fields.Map(owner, field, policy);
        return new LabelSelector(Fields.Map(selector, "matchLabels", policy) ?? [], Fields.Maps(selector, "matchExpressions", policy), policy);
    }

    public bool Matches(IReadOnlyDictionary<string, object?> labels) =>
        _matchLabels.All(pair => labels.TryGetValue(pair.Key, out var value) && Equals(value, pair.Value))
        && _matchExpressions.All(expression => Matches(expression, labels));

    private bool Matches(Dictionary<string, object?> expression, IReadOnlyDictionary<string, object?> labels)
    {
        var key = Fields.RequiredText(expression, "key", _policy);
        var values = Fields.Strings(expression, "values", _policy);
        var present = labels.TryGetValue(key, out var value);
        return Fields.RequiredText(expression, "operator", _policy) switch
        {
            "In" => present && values.Contains(value as string),
            "NotIn" => !present || !values.Contains(value as string),
            "Exists" => present,
            "DoesNotExist" => !present,
            var unknown => throw new PolicyLoadException($"unknown selector operator '{unknown}'", _policy),
        };
    }
}
