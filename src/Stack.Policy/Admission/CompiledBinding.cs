namespace Stack.Policy.Admission;

/// <summary>
/// A ValidatingAdmissionPolicyBinding: which policy, with which parameters, on which objects, and
/// what a failure does (<c>Deny</c>: validationActions holds Deny, a failure rejects the object;
/// otherwise, Warn or Audit, it is only reported).
/// </summary>
internal sealed record CompiledBinding(string Name, CompiledPolicy Policy, bool Deny, ParamReference? Param, MatchResources Match)
{
    public static CompiledBinding Compile(Manifest manifest, IReadOnlyDictionary<string, CompiledPolicy> policies)
    {
        var name = manifest.Name;
        var spec = Fields.Map(manifest.Content, "spec", name) ?? throw new PolicyLoadException("spec is required", name);
        var policyName = Fields.RequiredText(spec, "policyName", name);
        var policy = policies.GetValueOrDefault(policyName)
            ?? throw new PolicyLoadException($"binds policy '{policyName}', which is not among the policies", name);

        var actions = Fields.Strings(spec, "validationActions", name);
        if (actions.Count == 0 || actions.Any(action => action is not ("Deny" or "Warn" or "Audit")))
        {
            throw new PolicyLoadException("validationActions must list Deny, Warn or Audit", name);
        }

        var paramRef = Fields.Map(spec, "paramRef", name);
        if (policy.ParamKind is not null && paramRef is null)
        {
            throw new PolicyLoadException($"policy '{policyName}' takes parameters ({policy.ParamKind.Value.Kind}) but the binding has no paramRef", name);
        }

        ParamReference? param = null;
        if (paramRef is not null)
        {
            if (paramRef.ContainsKey("selector"))
            {
                throw new PolicyLoadException("paramRef.selector is not supported offline; name the parameter object", name);
            }

            param = new ParamReference(
                Fields.RequiredText(paramRef, "name", name),
                Fields.Text(paramRef, "namespace", name),
                (Fields.Text(paramRef, "parameterNotFoundAction", name) ?? "Deny") == "Deny");
        }

        return new CompiledBinding(name, policy, actions.Contains("Deny"), param, MatchResources.Parse(Fields.Map(spec, "matchResources", name), name));
    }
}
