using System.Collections;
using System.Reflection;
using Cel;
using Cel.Internal;

namespace Stack.Policy.Evaluation;

/// <summary>
/// The few functions of the Kubernetes CEL environment (cel-go's strings extension) that the
/// policies use and the Cel package lacks. Library functions, not rules: each behaves as on the
/// API server, so an expression means the same offline and in the cluster.
/// </summary>
internal static class KubernetesCelLibrary
{
    /// <summary>Function and macro names an expression may call: the Cel package's and these.</summary>
    public static IReadOnlySet<string> FunctionNames { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        // Macros and built-ins of the Cel package.
        "all", "exists", "exists_one", "filter", "map", "has", "size", "matches", "contains", "startsWith", "endsWith",
        "bool", "bytes", "double", "int", "uint", "string", "dyn", "type", "timestamp", "duration",
        "getFullYear", "getMonth", "getDate", "getDayOfMonth", "getDayOfWeek", "getDayOfYear",
        "getHours", "getMinutes", "getSeconds", "getMilliseconds",
        // Registered below.
        "split", "join", "trim", "lowerAscii", "upperAscii",
    };

    public static CelEnvironment CreateEnvironment()
    {
        var environment = new CelEnvironment(null, null);
        environment.RegisterFunction("split", [typeof(string), typeof(string)], args => ((string)args[0]!).Split((string)args[1]!).Cast<object?>().ToList());
        environment.RegisterFunction("join", [typeof(IList)], args => Join((IList)args[0]!, ""));
        environment.RegisterFunction("join", [typeof(IList), typeof(string)], args => Join((IList)args[0]!, (string)args[1]!));
        environment.RegisterFunction("trim", [typeof(string)], args => ((string)args[0]!).Trim());
        environment.RegisterFunction("lowerAscii", [typeof(string)], args => ((string)args[0]!).ToLowerInvariant());
        environment.RegisterFunction("upperAscii", [typeof(string)], args => ((string)args[0]!).ToUpperInvariant());
        environment.RegisterFunction("has", [typeof(object)], args => Has(args[0]));
        IterateMapKeys(environment);
        return environment;
    }

    /// <summary>
    /// Whether a field is present, as the API server sees objects: an empty object (<c>{}</c>) is
    /// present, since Kubernetes keeps it (<c>namespaceSelector: {}</c> selects every namespace),
    /// while an empty list or string is not, since Kubernetes drops those fields when it decodes
    /// them. The Cel package's own has() treats every empty value as absent, as proto3 does.
    /// Registered after the package's, so it is the one found.
    /// </summary>
    private static bool Has(object? value) => value switch
    {
        null => false,
        IDictionary => true,
        IList list => list.Count > 0,
        string text => text.Length > 0,
        _ => value.GetType().FullName != CompiledExpression.NoSuchFieldTypeName,
    };

    /// <summary>
    /// CEL's filter and map over a map walk its keys; the Cel package's walk its key/value pairs
    /// (its all and exists get it right). Its macros are not public, so the two are wrapped to be
    /// handed the keys; a package that changes shape fails here, loudly, not in a policy.
    /// </summary>
    private static void IterateMapKeys(CelEnvironment environment)
    {
        const BindingFlags Private = BindingFlags.Instance | BindingFlags.NonPublic;
        var visitor = typeof(CelEnvironment).GetProperty("CelVisitor", Private)?.GetValue(environment);
        if (visitor?.GetType().GetProperty("InternalMacros", Private)?.GetValue(visitor) is not Dictionary<string, CelMacroDelegate> macros
            || !macros.ContainsKey("filter") || !macros.ContainsKey("map"))
        {
            throw new InvalidOperationException("The Cel package's macros are not where Stack.Policy expects them; check the package version.");
        }

        foreach (var name in (string[])["filter", "map"])
        {
            var macro = macros[name];
            macros[name] = (value, variable, predicate, variables, functions) =>
                macro(value is IDictionary<string, object?> map ? map.Keys.ToList() : value, variable, predicate, variables, functions);
        }
    }

    private static string Join(IList items, string separator) =>
        string.Join(separator, items.Cast<object?>().Select(item => item as string ?? throw new InvalidOperationException("join() takes a list of strings")));
}
