using Stack.Policy.Admission;
using Stack.Policy.Evaluation;
using Stack.Policy.Kubernetes;

namespace Stack.Policy;

/// <summary>
/// The ValidatingAdmissionPolicies of a folder (infra/policies), their bindings and parameter
/// objects, compiled once and evaluated offline exactly as written: the rules live in the CEL of
/// the policy files, never in C#.
/// </summary>
public sealed class PolicySet
{
    /// <summary>Where the policies live in the repository unless told otherwise.</summary>
    public const string DefaultRepositoryPath = "infra/policies";

    private const string AdmissionGroup = "admissionregistration.k8s.io";

    private readonly IReadOnlyList<CompiledBinding> _bindings;
    private readonly IReadOnlyDictionary<(string ApiVersion, string Kind, string? Namespace, string Name), Manifest> _parameters;

    private PolicySet(string directory, IReadOnlyList<CompiledBinding> bindings, IReadOnlyDictionary<(string, string, string?, string), Manifest> parameters)
    {
        Directory = directory;
        _bindings = bindings;
        _parameters = parameters;
    }

    /// <summary>The folder the policies were loaded from.</summary>
    public string Directory { get; }

    /// <summary>The names of the policies, in the order they are applied.</summary>
    public IReadOnlyList<string> PolicyNames => [.. _bindings.Select(binding => binding.Policy.Name).Distinct()];

    /// <summary>
    /// The policies that judge objects when they are created, which is what this engine checks
    /// manifests as; the others guard updates and deletions only and are the API server's alone.
    /// </summary>
    public IReadOnlyList<string> PolicyNamesJudgedOffline =>
        [.. _bindings.Where(binding => binding.Policy.Match.JudgesCreation).Select(binding => binding.Policy.Name).Distinct()];

    /// <summary>
    /// Loads every ValidatingAdmissionPolicy, ValidatingAdmissionPolicyBinding and parameter object
    /// (any other object, e.g. a ConfigMap) from the YAML files under <paramref name="directory"/>.
    /// </summary>
    /// <exception cref="PolicyLoadException">
    /// The folder holds no policy, a file is not valid YAML, a CEL expression does not compile
    /// (the message names the policy and the expression), or a binding does not fit its policy.
    /// </exception>
    public static PolicySet Load(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (!System.IO.Directory.Exists(directory))
        {
            throw new PolicyLoadException($"no policies: the folder '{directory}' does not exist");
        }

        // The files as written (no kubectl): kustomization.yaml only lists them for Argo CD.
        var files = System.IO.Directory.EnumerateFiles(directory, "*.*", SearchOption.AllDirectories)
            .Where(file => file.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || file.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
            .Where(file => !Path.GetFileName(file).StartsWith("kustomization.", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal);
        var read = ManifestLoader.Load(files);
        if (read.Problems.Count > 0)
        {
            var problem = read.Problems[0];
            throw new PolicyLoadException($"{problem.Location}: {problem.Message}");
        }

        var environment = KubernetesCelLibrary.CreateEnvironment();
        var policies = new Dictionary<string, CompiledPolicy>(StringComparer.Ordinal);
        var bindingObjects = new List<Manifest>();
        var parameters = new Dictionary<(string, string, string?, string), Manifest>();
        foreach (var manifest in read.Manifests)
        {
            switch (manifest)
            {
                case { Group: AdmissionGroup, Kind: "ValidatingAdmissionPolicy" }:
                    if (!policies.TryAdd(manifest.Name, CompiledPolicy.Compile(manifest, environment)))
                    {
                        throw new PolicyLoadException($"the policy is defined twice ({manifest.Source}:{manifest.Line})", manifest.Name);
                    }

                    break;
                case { Group: AdmissionGroup, Kind: "ValidatingAdmissionPolicyBinding" }:
                    bindingObjects.Add(manifest);
                    break;
                default:
                    parameters[(manifest.ApiVersion, manifest.Kind, manifest.Namespace, manifest.Name)] = manifest;
                    break;
            }
        }

        if (policies.Count == 0)
        {
            throw new PolicyLoadException($"no policies: no ValidatingAdmissionPolicy in '{directory}'");
        }

        var bindings = bindingObjects.Select(binding => CompiledBinding.Compile(binding, policies)).ToList();
        if (policies.Keys.FirstOrDefault(name => bindings.All(binding => binding.Policy.Name != name)) is { } unbound)
        {
            throw new PolicyLoadException("has no ValidatingAdmissionPolicyBinding, so the cluster would never enforce it", unbound);
        }

        var set = new PolicySet(directory, bindings, parameters);
        foreach (var binding in bindings)
        {
            if (binding.Param is { Namespace: not null, DenyWhenMissing: true } param && set.FindParameters(binding, param.Namespace) is null)
            {
                throw new PolicyLoadException(
                    $"paramRef {param.Namespace}/{param.Name} ({binding.Policy.ParamKind?.Kind}) is not among the policy files, so every object would be denied",
                    binding.Name);
            }
        }

        return set;
    }

    /// <summary>Judges every object, and carries over the problems met while reading them.</summary>
    public PolicyReport Check(ManifestSet manifests)
    {
        ArgumentNullException.ThrowIfNull(manifests);
        var report = Check(manifests.Manifests);
        return report with { Problems = [.. manifests.Problems, .. report.Problems] };
    }

    /// <summary>
    /// Judges every object against every binding whose policy matches it, as admission would on CREATE.
    /// An object whose Namespace is among <paramref name="manifests"/> (an overlay renders its own)
    /// sees it as <c>namespaceObject</c>, with the <c>kubernetes.io/metadata.name</c> label the API
    /// server adds; any other sees a Namespace that has only that label (no label at all when the
    /// object names no namespace): the offline check cannot see the cluster's namespace labels.
    /// </summary>
    public PolicyReport Check(IEnumerable<Manifest> manifests)
    {
        ArgumentNullException.ThrowIfNull(manifests);
        var all = manifests.ToList();
        var namespaces = all
            .Where(manifest => manifest is { Group: "", Kind: "Namespace" })
            .GroupBy(manifest => manifest.Name, StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => NamespaceObject(group.Last()), StringComparer.Ordinal);
        var violations = new List<PolicyViolation>();
        var warnings = new List<PolicyViolation>();
        var count = 0;
        foreach (var manifest in all)
        {
            count++;
            var namespaceObject = manifest.Namespace is { } name && namespaces.TryGetValue(name, out var known) ? known : UnknownNamespace(manifest.Namespace);
            foreach (var binding in _bindings)
            {
                if (binding.Policy.Match.Matches(manifest) && binding.Match.Matches(manifest))
                {
                    foreach (var message in Judge(binding, manifest, namespaceObject))
                    {
                        (binding.Deny ? violations : warnings).Add(new PolicyViolation(
                            binding.Policy.Name, binding.Name, manifest.Kind, manifest.Name, manifest.Namespace, manifest.Source, manifest.Line, message));
                    }
                }
            }
        }

        return new PolicyReport(count, violations, warnings, []);
    }

    /// <summary>The messages of the validations <paramref name="manifest"/> fails under <paramref name="binding"/>.</summary>
    private IEnumerable<string> Judge(CompiledBinding binding, Manifest manifest, Dictionary<string, object?>? namespaceObject)
    {
        var policy = binding.Policy;
        Dictionary<string, object?>? parameters = null;
        if (binding.Param is { } param)
        {
            var @namespace = param.Namespace ?? manifest.Namespace;
            var found = FindParameters(binding, @namespace);
            if (found is null)
            {
                if (param.DenyWhenMissing)
                {
                    yield return $"parameters {@namespace}/{param.Name} not found (parameterNotFoundAction: Deny)";
                }

                yield break;
            }

            parameters = found.Object;
        }

        var activation = new Activation(
            new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["object"] = manifest.Object,
                ["oldObject"] = null,
                ["params"] = parameters,
                ["namespaceObject"] = namespaceObject,
                ["request"] = AdmissionRequest.For(manifest),
            },
            policy.Variables);

        foreach (var (name, condition) in policy.MatchConditions)
        {
            var (applies, error) = Test(condition, activation);
            if (error is not null && !policy.FailOpen)
            {
                yield return $"matchCondition '{name}' could not be evaluated: {error}";
            }

            if (applies != true)
            {
                yield break;
            }
        }

        foreach (var validation in policy.Validations)
        {
            var (passed, error) = Test(validation.Expression, activation);
            if (error is not null)
            {
                if (!policy.FailOpen)
                {
                    yield return $"expression could not be evaluated ({error}): {OneLine(validation.Expression.Text)}";
                }
            }
            else if (passed == false)
            {
                yield return Message(validation, activation);
            }
        }
    }

    /// <summary>The Namespace as the API server hands it to a policy: its labels include <c>kubernetes.io/metadata.name</c>.</summary>
    private static Dictionary<string, object?> NamespaceObject(Manifest manifest)
    {
        var copy = new Dictionary<string, object?>(manifest.Object, StringComparer.Ordinal);
        var metadata = new Dictionary<string, object?>(copy.GetValueOrDefault("metadata") as Dictionary<string, object?> ?? [], StringComparer.Ordinal);
        var labels = new Dictionary<string, object?>(metadata.GetValueOrDefault("labels") as Dictionary<string, object?> ?? [], StringComparer.Ordinal)
        {
            ["kubernetes.io/metadata.name"] = manifest.Name,
        };
        metadata["labels"] = labels;
        copy["metadata"] = metadata;
        return copy;
    }

    private static Dictionary<string, object?> UnknownNamespace(string? name) => new(StringComparer.Ordinal)
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Namespace",
        ["metadata"] = name is null
            ? new Dictionary<string, object?>(StringComparer.Ordinal) { ["labels"] = new Dictionary<string, object?>(StringComparer.Ordinal) }
            : new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["name"] = name,
                ["labels"] = new Dictionary<string, object?>(StringComparer.Ordinal) { ["kubernetes.io/metadata.name"] = name },
            },
    };

    private Manifest? FindParameters(CompiledBinding binding, string? @namespace) =>
        binding.Policy.ParamKind is { } kind && binding.Param is { } param
            ? _parameters.GetValueOrDefault((kind.ApiVersion, kind.Kind, @namespace, param.Name))
            : null;

    private static (bool? Result, string? Error) Test(CompiledExpression expression, Activation activation)
    {
        try
        {
            return expression.Evaluate(activation) is bool result
                ? (result, null)
                : (null, "the expression does not return a bool");
        }
        catch (EvaluationException exception)
        {
            return (null, exception.Message);
        }
    }

    /// <summary>The messageExpression's text when it yields one, else message, else the failed expression (as the API server words it).</summary>
    private static string Message(CompiledValidation validation, Activation activation)
    {
        if (validation.MessageExpression is { } messageExpression)
        {
            try
            {
                if (messageExpression.Evaluate(activation) is string { Length: > 0 } text && !text.Contains('\n'))
                {
                    return text;
                }
            }
            catch (EvaluationException)
            {
                // As on the API server: a failing messageExpression falls back to message.
            }
        }

        return validation.Message ?? $"failed expression: {OneLine(validation.Expression.Text)}";
    }

    private static string OneLine(string text) => string.Join(' ', text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Trim()));
}
