namespace Stack.Policy.Tests;

/// <summary>A policy folder the admission API would not take, or the gate could not judge with, is refused when it loads, saying why.</summary>
public sealed class PolicyLoadingTests
{
    private const string Policy =
        """
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicy
        metadata: {name: replicas}
        spec:
          failurePolicy: Fail
          matchConstraints:
            resourceRules: [{apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [deployments]}]
          variables: [{name: limit, expression: "3"}]
          validations: [{expression: "object.spec.replicas <= variables.limit"}]
        """;

    private const string Binding =
        """
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicyBinding
        metadata: {name: replicas-everywhere}
        spec: {policyName: replicas, validationActions: [Deny]}
        """;

    [Fact]
    public void ThePolicyAndItsBindingAsWrittenHereLoad()
    {
        Assert.Equal(["replicas"], Policies.Load(Policy, Binding).PolicyNames);
    }

    [Theory]
    [InlineData("failurePolicy: Fail", "failurePolicy: Sometimes", "failurePolicy must be Fail or Ignore, not 'Sometimes'")]
    [InlineData("failurePolicy: Fail", "failurePolicy: [Fail]", "failurePolicy must be a string")]
    [InlineData("resourceRules: [{apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [deployments]}]", "objectSelector: {}", "matchConstraints.resourceRules is required")]
    [InlineData("resourceRules: [{apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [deployments]}]", "resourceRules: [{apiGroups: apps}]", "apiGroups must be a list of strings")]
    [InlineData("resourceRules: [{apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [deployments]}]", "resourceRules: {apiGroups: [apps]}", "resourceRules must be a list of maps")]
    [InlineData("  matchConstraints:\n", "  matchConstraints: [apps]\n  ignored:\n", "matchConstraints must be a map")]
    [InlineData("validations: [{expression: \"object.spec.replicas <= variables.limit\"}]", "validations: []", "validations must hold at least one expression")]
    [InlineData("validations: [{expression: \"object.spec.replicas <= variables.limit\"}]", "validations: [{message: no rule}]", "expression is required")]
    [InlineData("validations: [{expression: \"object.spec.replicas <= variables.limit\"}]", "validations: [{expression: \" \"}]", "an expression is empty")]
    [InlineData("variables: [{name: limit, expression: \"3\"}]", "variables: [{name: limit, expression: \"3\"}, {name: limit, expression: \"4\"}]", "variable 'limit' is declared twice")]
    [InlineData("variables: [{name: limit, expression: \"3\"}]", "variables: [{expression: \"3\"}]", "name is required")]
    [InlineData("variables: [{name: limit, expression: \"3\"}]", "variables: [{name: limit, expression: \"size(\"}]", "CEL does not compile")]
    [InlineData("variables: [{name: limit, expression: \"3\"}]", "variables: [{name: limit, expression: \"frobnicate(3)\"}]", "CEL does not compile (unknown function 'frobnicate')")]
    [InlineData("variables: [{name: limit, expression: \"3\"}]", "variables: [{name: limit, expression: \"object.spec.max.orValue(3)\"}]", "CEL does not compile (the optional syntax (.?field, orValue) is not supported offline; use has())")]
    [InlineData("spec:\n  failurePolicy: Fail", "status:\n  failurePolicy: Fail", "spec is required")]
    public void APolicyTheGateCannotJudgeWithIsRefusedNamingItAndWhy(string text, string replacement, string reason)
    {
        var exception = Assert.Throws<PolicyLoadException>(() => Policies.Load(Policy.Replace(text, replacement, StringComparison.Ordinal), Binding));

        Assert.Equal("replicas", exception.Policy);
        Assert.StartsWith($"replicas: {reason}", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("policyName: replicas,", "policyName: replica,", "binds policy 'replica', which is not among the policies")]
    [InlineData("policyName: replicas,", "", "policyName is required")]
    [InlineData("validationActions: [Deny]", "validationActions: [Block]", "validationActions must list Deny, Warn or Audit")]
    [InlineData("validationActions: [Deny]", "validationActions: []", "validationActions must list Deny, Warn or Audit")]
    [InlineData("validationActions: [Deny]", "validationActions: [Deny], paramRef: {name: limits, selector: {}}", "paramRef.selector is not supported offline; name the parameter object")]
    [InlineData("validationActions: [Deny]", "validationActions: [Deny], paramRef: {namespace: stack-policy}", "name is required")]
    [InlineData("spec: {", "status: {", "spec is required")]
    public void ABindingTheGateCannotFollowIsRefusedNamingItAndWhy(string text, string replacement, string reason)
    {
        var exception = Assert.Throws<PolicyLoadException>(() => Policies.Load(Policy, Binding.Replace(text, replacement, StringComparison.Ordinal)));

        Assert.Equal("replicas-everywhere", exception.Policy);
        Assert.Equal($"replicas-everywhere: {reason}", exception.Message);
    }

    [Fact]
    public void APolicyThatTakesParametersNeedsAParamRefInItsBinding()
    {
        var exception = Assert.Throws<PolicyLoadException>(() =>
            Policies.Load(Policy.Replace("  failurePolicy: Fail", "  failurePolicy: Fail\n  paramKind: {apiVersion: v1, kind: ConfigMap}", StringComparison.Ordinal), Binding));

        Assert.Equal("replicas-everywhere: policy 'replicas' takes parameters (ConfigMap) but the binding has no paramRef", exception.Message);
    }

    [Fact]
    public void APolicyDefinedTwiceIsRefused()
    {
        var exception = Assert.Throws<PolicyLoadException>(() => Policies.Load(Policy, Policy, Binding));

        Assert.Equal("replicas", exception.Policy);
        Assert.StartsWith("replicas: the policy is defined twice (", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void APolicyWithoutABindingIsRefusedSinceTheClusterWouldNeverEnforceIt()
    {
        var exception = Assert.Throws<PolicyLoadException>(() => Policies.Load(Policy));

        Assert.Equal("replicas: has no ValidatingAdmissionPolicyBinding, so the cluster would never enforce it", exception.Message);
    }

    [Fact]
    public void AFolderThatDoesNotExistHoldsNoPolicies()
    {
        var exception = Assert.Throws<PolicyLoadException>(() => PolicySet.Load("/no/such/policies"));

        Assert.Equal("no policies: the folder '/no/such/policies' does not exist", exception.Message);
        Assert.Null(exception.Policy);
    }

    [Fact]
    public void APolicyFileThatIsNotYamlIsRefusedAtItsLine()
    {
        using var folder = new TemporaryDirectory();
        File.WriteAllText(Path.Combine(folder.Path, "a.yaml"), Policy + "\n---\n" + Binding);
        File.WriteAllText(Path.Combine(folder.Path, "b.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: [unclosed\n");

        var exception = Assert.Throws<PolicyLoadException>(() => PolicySet.Load(folder.Path));

        Assert.StartsWith($"{Path.Combine(folder.Path, "b.yaml")}:", exception.Message, StringComparison.Ordinal);
        Assert.Contains(": not valid YAML", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheKustomizationFileIsNotReadAsAPolicy()
    {
        using var folder = new TemporaryDirectory();
        File.WriteAllText(Path.Combine(folder.Path, "policy.yaml"), Policy + "\n---\n" + Binding);
        File.WriteAllText(Path.Combine(folder.Path, "kustomization.yaml"), "resources: [policy.yaml]\n");

        Assert.Equal(["replicas"], PolicySet.Load(folder.Path).PolicyNames);
    }
}
