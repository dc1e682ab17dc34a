using System.Text.Json;
using System.Text.Json.Nodes;

namespace Stack.Policy.Tests.Mutation;

/// <summary>A mutant of one policy expression and what became of it.</summary>
/// <param name="Policy">The ValidatingAdmissionPolicy.</param>
/// <param name="Expression">Where the expression sits: <c>variables.foreign</c>, <c>validations[0]</c>, <c>matchConditions.has-pod-template</c>.</param>
/// <param name="Mutation">What changed: <c>before → after</c>, or <c>drop operand</c>.</param>
/// <param name="KilledBy">The first fixture whose verdict changed, or null when none did.</param>
internal sealed record PolicyMutant(string Policy, string Expression, string Mutation, string? KilledBy)
{
    public string Id => $"{Policy} | {Expression} | {Mutation}";
}

/// <summary>
/// Mutation testing of the policies' CEL against the fixtures. For each expression of each policy
/// (matchConditions, variables, validations; messageExpressions only word a failure), each
/// <see cref="CelMutants">mutant</see> replaces it in a copy of that policy, written to a temporary
/// folder with its binding and the parameters and loaded as the gate loads policies (a mutant that
/// does not compile is discarded). Every fixture is then judged by the mutated policy; a mutant that
/// changes no fixture's verdict survives.
/// <para>
/// A verdict is which validations of the policy deny each object of the fixture, or that the policy
/// could not evaluate it. Messages are left out (each validation is told apart by its position),
/// so a mutant is killed by what it decides, not by how a messageExpression words it.
/// </para>
/// </summary>
internal static class PolicyMutationHarness
{
    private const string AdmissionApiVersion = "admissionregistration.k8s.io/v1";

    /// <summary>Every mutant of every policy under <paramref name="policiesDirectory"/>, judged against every fixture under <paramref name="fixturesDirectory"/>.</summary>
    public static IReadOnlyList<PolicyMutant> Run(string policiesDirectory, string fixturesDirectory)
    {
        // The files as written, as PolicySet.Load reads them (kustomization.yaml only lists them).
        var objects = Directory.EnumerateFiles(policiesDirectory, "*.yaml")
            .Where(file => Path.GetFileName(file) != "kustomization.yaml")
            .Order(StringComparer.Ordinal)
            .SelectMany(file => ManifestLoader.Load(file).Manifests)
            .ToList();
        var parameters = objects.Where(manifest => manifest.ApiVersion != AdmissionApiVersion).Select(Json).ToList();
        var fixtures = Directory.EnumerateFiles(fixturesDirectory, "*.yaml", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .Select(file => (Name: Path.GetRelativePath(fixturesDirectory, file), ManifestLoader.Load(file).Manifests))
            .ToList();

        var real = PolicySet.Load(policiesDirectory);
        using var folder = new TemporaryDirectory();
        var mutants = new List<PolicyMutant>();
        // Rules of updates and deletions never judge a manifest: the cluster tests are their judge.
        foreach (var policy in objects.Where(manifest => manifest.Kind == "ValidatingAdmissionPolicy" && real.PolicyNamesJudgedOffline.Contains(manifest.Name)))
        {
            var binding = objects.Single(manifest => manifest.Kind == "ValidatingAdmissionPolicyBinding"
                && ((JsonObject)Json(manifest)["spec"]!)["policyName"]!.GetValue<string>() == policy.Name);
            var original = WithoutMessages(Json(policy));
            var parameterSets = original["spec"]!["paramKind"] is null ? [("", parameters)] : ParameterSets(parameters);
            var judge = new Judge(folder.Path, policy.Name, Json(binding), parameterSets, fixtures);
            var baseline = judge.Verdicts(original) ?? throw new InvalidOperationException($"{policy.Name} does not load once its messages are taken out");
            var denials = fixtures.Select(fixture => real.Check(fixture.Manifests).Violations.Count(violation => violation.Policy == policy.Name));
            if (!denials.SequenceEqual(baseline.Take(fixtures.Count).Select(verdict => verdict.Judged.Length == 0 ? 0 : verdict.Judged.Split("; ").Length)))
            {
                throw new InvalidOperationException($"{policy.Name} judges the fixtures otherwise once copied for mutation");
            }

            foreach (var (site, path, isCondition) in Expressions(original))
            {
                var text = path(original).GetValue<string>();
                foreach (var mutant in CelMutants.Of(text, isCondition))
                {
                    var mutated = original.DeepClone().AsObject();
                    path(mutated).ReplaceWith(JsonValue.Create(mutant.Text));
                    if (judge.Verdicts(mutated) is not { } verdicts)
                    {
                        continue;
                    }

                    var killedBy = verdicts.Zip(baseline).FirstOrDefault(pair => pair.First.Judged != pair.Second.Judged).First.Case;
                    mutants.Add(new PolicyMutant(policy.Name, site, mutant.Description, killedBy));
                }
            }
        }

        return mutants;
    }

    /// <summary>
    /// The parameters a policy with a paramKind is judged with: as committed, and each parameter
    /// object without data and with empty data, so the way a policy reads a missing parameter counts too.
    /// </summary>
    private static IReadOnlyList<(string Name, IReadOnlyList<JsonObject> Objects)> ParameterSets(IReadOnlyList<JsonObject> parameters)
    {
        var sets = new List<(string, IReadOnlyList<JsonObject>)> { ("", parameters) };
        for (var i = 0; i < parameters.Count; i++)
        {
            if (parameters[i]["data"] is null)
            {
                continue;
            }

            var name = parameters[i]["metadata"]!["name"]!.GetValue<string>();
            foreach (var (change, data) in new[] { ("without data", (JsonObject?)null), ("with empty data", []) })
            {
                var changed = parameters.Select(parameter => parameter.DeepClone().AsObject()).ToList();
                changed[i].Remove("data");
                if (data is not null)
                {
                    changed[i]["data"] = data;
                }

                sets.Add(($" (with {name} {change})", changed));
            }
        }

        return sets;
    }

    /// <summary>The mutable expressions of a policy: where each is, how to reach it, and whether it is a condition itself.</summary>
    private static IEnumerable<(string Site, Func<JsonObject, JsonNode> Path, bool IsCondition)> Expressions(JsonObject policy)
    {
        var spec = (JsonObject)policy["spec"]!;
        foreach (var (field, named, isCondition) in new[] { ("matchConditions", true, true), ("variables", true, false), ("validations", false, true) })
        {
            var entries = spec[field]?.AsArray() ?? [];
            for (var i = 0; i < entries.Count; i++)
            {
                var index = i;
                var site = named ? $"{field}.{entries[i]!["name"]!.GetValue<string>()}" : $"{field}[{i}]";
                yield return (site, node => node["spec"]![field]![index]!["expression"]!, isCondition);
            }
        }
    }

    /// <summary>Each validation says only which one it is, so a verdict is the validations that deny, whatever their wording.</summary>
    private static JsonObject WithoutMessages(JsonObject policy)
    {
        var copy = policy.DeepClone().AsObject();
        var validations = copy["spec"]!["validations"]!.AsArray();
        for (var i = 0; i < validations.Count; i++)
        {
            var validation = validations[i]!.AsObject();
            validation.Remove("messageExpression");
            validation["message"] = $"validations[{i}]";
        }

        return copy;
    }

    private static JsonObject Json(Manifest manifest) => JsonSerializer.SerializeToNode(manifest.Content)!.AsObject();

    /// <summary>Judges the fixtures with one policy (as a mutant or as written), its binding and each set of parameters.</summary>
    private sealed class Judge(
        string folder,
        string policy,
        JsonObject binding,
        IReadOnlyList<(string Name, IReadOnlyList<JsonObject> Objects)> parameterSets,
        IReadOnlyList<(string Name, IReadOnlyList<Manifest> Manifests)> fixtures)
    {
        private readonly string _file = Path.Combine(folder, "policy.yaml");

        /// <summary>
        /// The verdict on each fixture under each set of parameters (the committed set first), with the
        /// case it is for, or null when the policy does not load (the mutant does not compile).
        /// </summary>
        public (string Case, string Judged)[]? Verdicts(JsonObject candidate)
        {
            var verdicts = new List<(string, string)>();
            foreach (var (name, parameters) in parameterSets)
            {
                // JSON is YAML: the gate reads the copy as it reads the policies' own files.
                File.WriteAllText(_file, string.Join("\n---\n", new[] { candidate, binding }.Concat(parameters).Select(node => node.ToJsonString())));
                PolicySet policies;
                try
                {
                    policies = PolicySet.Load(folder);
                }
                catch (PolicyLoadException)
                {
                    return null;
                }

                verdicts.AddRange(fixtures.Select(fixture => (fixture.Name + name, string.Join("; ", policies.Check(fixture.Manifests).Violations
                    .Where(violation => violation.Policy == policy)
                    .Select(violation => $"{violation.Object}: {Outcome(violation.Message)}")))));
            }

            return [.. verdicts];
        }

        private static string Outcome(string message) =>
            message.StartsWith("validations[", StringComparison.Ordinal) ? message
            : message.StartsWith("matchCondition", StringComparison.Ordinal) ? "a matchCondition could not be evaluated"
            : message.Contains("could not be evaluated", StringComparison.Ordinal) ? "a validation could not be evaluated"
            : message;
    }
}
