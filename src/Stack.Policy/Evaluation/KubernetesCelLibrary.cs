using System.Collections;
using System.Reflection;
using Cel;
using Cel.Internal;

namespace Stack.Policy.Evaluation;

/// <summary>
/// The few functions of the Kubernetes CEL environment (cel-go's strings extension) that the
/// policies use and the Cel package lacks, and the presence test and macros where the package
/// means something else than CEL. Library functions, not rules: each behaves as on the API server,
/// so an expression means the same offline and in the cluster.
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
        ReplaceMacros(environment);
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
    /// The macros as CEL defines them, where the Cel package's differ. Its filter and map over a map
    /// walk the key/value pairs, CEL's walk the keys: the two are wrapped to be handed the keys. Its
    /// exists counts an element whose predicate fails to evaluate as false, and its all and
    /// exists_one return null for one: CEL's are an error unless another element decides (a true for
    /// exists, a false for all), so a predicate missing a has() guard denies offline as it does on
    /// the API server. The macros are not public; a package that changes shape fails here, loudly,
    /// not in a policy.
    /// </summary>
    private static void ReplaceMacros(CelEnvironment environment)
    {
        const BindingFlags Private = BindingFlags.Instance | BindingFlags.NonPublic;
        var visitor = typeof(CelEnvironment).GetProperty("CelVisitor", Private)?.GetValue(environment);
        if (visitor?.GetType().GetProperty("InternalMacros", Private)?.GetValue(visitor) is not Dictionary<string, CelMacroDelegate> macros
            || !((string[])["filter", "map", "exists", "all", "exists_one"]).All(macros.ContainsKey))
        {
            throw new InvalidOperationException("The Cel package's macros are not where Stack.Policy expects them; check the package version.");
        }

        foreach (var name in (string[])["filter", "map"])
        {
            var macro = macros[name];
            macros[name] = (value, variable, predicate, variables, functions) =>
                macro(value is IDictionary<string, object?> map ? map.Keys.ToList() : value, variable, predicate, variables, functions);
        }

        macros["exists"] = (value, variable, predicate, variables, _) => Tally.Of("exists", value, variable, predicate, variables) switch
        {
            { Trues: > 0 } => true,
            { Error: { } error } => throw error,
            _ => false,
        };
        macros["all"] = (value, variable, predicate, variables, _) => Tally.Of("all", value, variable, predicate, variables) switch
        {
            { Falses: > 0 } => false,
            { Error: { } error } => throw error,
            _ => true,
        };
        macros["exists_one"] = (value, variable, predicate, variables, _) => Tally.Of("exists_one", value, variable, predicate, variables) switch
        {
            { Error: { } error } => throw error,
            var tally => tally.Trues == 1,
        };
    }

    /// <summary>How many elements (keys, for a map) satisfy a macro's predicate, how many do not, and the first error met.</summary>
    private readonly record struct Tally(int Trues, int Falses, EvaluationException? Error)
    {
        public static Tally Of(string macro, object? value, string variable, CelExpressionDelegate predicate, TryGetVariableDelegate variables)
        {
            IEnumerable items = value switch
            {
                IDictionary<string, object?> map => map.Keys,
                IEnumerable list and not string => list,
                _ => throw new EvaluationException($"{macro}() takes a list or a map, not {value?.GetType().Name ?? "null"}"),
            };

            var tally = new Tally(0, 0, null);
            foreach (var item in items)
            {
                tally = Evaluate(macro, predicate, (string name, out object? found) =>
                {
                    if (name == variable)
                    {
                        found = item;
                        return true;
                    }

                    return variables(name, out found);
                }) switch
                {
                    (true, _) => tally with { Trues = tally.Trues + 1 },
                    (false, _) => tally with { Falses = tally.Falses + 1 },
                    (_, var error) => tally with { Error = tally.Error ?? error },
                };
            }

            return tally;
        }

        /// <summary>The predicate's value for one element, or why it has none.</summary>
        private static (bool? Result, EvaluationException? Error) Evaluate(string macro, CelExpressionDelegate predicate, TryGetVariableDelegate variables)
        {
            try
            {
                return predicate(variables) is bool result
                    ? (result, null)
                    : (null, new EvaluationException($"{macro}(): the predicate does not return a bool"));
            }
            catch (Exception exception)
            {
                return (null, new EvaluationException($"{macro}(): {exception.Message.Split('\n')[0].Trim()}", exception));
            }
        }
    }

    private static string Join(IList items, string separator) =>
        string.Join(separator, items.Cast<object?>().Select(item => item as string ?? throw new InvalidOperationException("join() takes a list of strings")));
}
