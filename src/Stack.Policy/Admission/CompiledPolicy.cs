using Cel;
using Stack.Policy.Evaluation;

namespace Stack.Policy.Admission;

/// <summary>
/// A ValidatingAdmissionPolicy with every expression compiled once. <c>FailOpen</c> is
/// failurePolicy: Ignore: an expression that cannot be evaluated then admits the object; with
/// Fail (the default) it denies it.
/// </summary>
internal sealed record CompiledPolicy(
    string Name,
    bool FailOpen,
    (string ApiVersion, string Kind)? ParamKind,
    MatchResources Match,
    IReadOnlyList<(string Name, CompiledExpression Expression)> MatchConditions,
    IReadOnlyDictionary<string, CompiledExpression> Variables,
    IReadOnlyList<CompiledValidation> Validations)
{
    public static CompiledPolicy Compile(Manifest manifest, CelEnvironment environment)
    {
        var name = manifest.Name;
        var spec = Fields.Map(manifest.Content, "spec", name) ?? throw new PolicyLoadException("spec is required", name);

        var failurePolicy = Fields.Text(spec, "failurePolicy", name) ?? "Fail";
        if (failurePolicy is not ("Fail" or "Ignore"))
        {
            throw new PolicyLoadException($"failurePolicy must be Fail or Ignore, not '{failurePolicy}'", name);
        }

        var paramKindField = Fields.Map(spec, "paramKind", name);
        (string, string)? paramKind = paramKindField is null
            ? null
            : (Fields.RequiredText(paramKindField, "apiVersion", name), Fields.RequiredText(paramKindField, "kind", name));

        var match = MatchResources.Parse(Fields.Map(spec, "matchConstraints", name), name);
        if (!match.HasRules)
        {
            throw new PolicyLoadException("matchConstraints.resourceRules is required", name);
        }

        CompiledExpression Compile(Dictionary<string, object?> entry, string field) =>
            CompiledExpression.Compile(environment, Fields.RequiredText(entry, field, name), name);

        var matchConditions = Fields.Maps(spec, "matchConditions", name)
            .Select(condition => (Fields.RequiredText(condition, "name", name), Compile(condition, "expression")))
            .ToList();

        var variables = new Dictionary<string, CompiledExpression>(StringComparer.Ordinal);
        foreach (var variable in Fields.Maps(spec, "variables", name))
        {
            var variableName = Fields.RequiredText(variable, "name", name);
            if (!variables.TryAdd(variableName, Compile(variable, "expression")))
            {
                throw new PolicyLoadException($"variable '{variableName}' is declared twice", name);
            }
        }

        var validations = Fields.Maps(spec, "validations", name)
            .Select(validation => new CompiledValidation(
                Compile(validation, "expression"),
                Fields.Text(validation, "message", name),
                Fields.Text(validation, "messageExpression", name) is null ? null : Compile(validation, "messageExpression")))
            .ToList();
        if (validations.Count == 0)
        {
            throw new PolicyLoadException("validations must hold at least one expression", name);
        }

        return new CompiledPolicy(name, failurePolicy == "Ignore", paramKind, match, matchConditions, variables, validations);
    }
}
