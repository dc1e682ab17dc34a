namespace Stack.Policy.Admission;

/// <summary>Reading the fields of a policy object (plain maps and lists), failing loudly when a field has the wrong shape.</summary>
internal static class Fields
{
    public static Dictionary<string, object?>? Map(IReadOnlyDictionary<string, object?>? owner, string field, string policy) =>
        owner?.GetValueOrDefault(field) switch
        {
            null => null,
            Dictionary<string, object?> map => map,
            _ => throw new PolicyLoadException($"{field} must be a map", policy),
        };

    public static IReadOnlyList<Dictionary<string, object?>> Maps(IReadOnlyDictionary<string, object?>? owner, string field, string policy) =>
        owner?.GetValueOrDefault(field) switch
        {
            null => [],
            List<object?> list when list.All(item => item is Dictionary<string, object?>) => [.. list.Cast<Dictionary<string, object?>>()],
            _ => throw new PolicyLoadException($"{field} must be a list of maps", policy),
        };

    public static IReadOnlyList<string> Strings(IReadOnlyDictionary<string, object?>? owner, string field, string policy) =>
        owner?.GetValueOrDefault(field) switch
        {
            null => [],
            List<object?> list when list.All(item => item is string) => [.. list.Cast<string>()],
            _ => throw new PolicyLoadException($"{field} must be a list of strings", policy),
        };

    public static string? Text(IReadOnlyDictionary<string, object?>? owner, string field, string policy) =>
        owner?.GetValueOrDefault(field) switch
        {
            null => null,
            string text => text,
            _ => throw new PolicyLoadException($"{field} must be a string", policy),
        };

    public static string RequiredText(IReadOnlyDictionary<string, object?>? owner, string field, string policy) =>
        Text(owner, field, policy) ?? throw new PolicyLoadException($"{field} is required", policy);
}
