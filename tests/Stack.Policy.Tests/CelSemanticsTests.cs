namespace Stack.Policy.Tests;

/// <summary>CEL means offline what it means on the API server, where the Cel package's own rules differ.</summary>
public sealed class CelSemanticsTests
{
    private const string Policy =
        """
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicy
        metadata:
          name: presence
        spec:
          failurePolicy: Fail
          matchConstraints:
            resourceRules:
              - apiGroups: [networking.k8s.io]
                apiVersions: ["v1"]
                operations: [CREATE]
                resources: [networkpolicies]
          validations:
            - expression: "!has(object.spec.egress[0].to[0].namespaceSelector)"
              message: "namespaceSelector is present"
            - expression: "!has(object.spec.ingress)"
              message: "ingress is present"
            - expression: "!has(object.spec.egress[0].to[0].podSelector)"
              message: "podSelector is present"
        ---
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicyBinding
        metadata:
          name: presence
        spec:
          policyName: presence
          validationActions: [Deny]
        """;

    [Fact]
    public void AnEmptyObjectIsPresentWhileAnEmptyListAndAnAbsentFieldAreNot()
    {
        var policies = Policies.Load(Policy);

        var report = policies.Check(ManifestLoader.Parse(
            """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: wide, namespace: games}
            spec:
              podSelector: {}
              ingress: []
              egress:
                - to:
                    - namespaceSelector: {}
            """,
            "wide.yaml"));

        // `namespaceSelector: {}` selects every namespace: the API server keeps it, so has() is true.
        // `ingress: []` is dropped by the API server when it decodes the object: has() is false.
        Assert.Equal(["namespaceSelector is present"], report.Violations.Select(v => v.Message));
    }

    [Theory]
    [InlineData("!object.spec.items.exists(i, has(i.selector.labels) && 'k' in i.selector.labels)", "[{name: a}, {name: b}]", "expression could not be evaluated")]
    [InlineData("!object.spec.items.exists(i, has(i.selector.labels) && 'k' in i.selector.labels)", "[{name: a}, {name: b, selector: {labels: {k: v}}}]", "failed expression")]
    [InlineData("object.spec.items.exists(i, i.replicas == 1)", "[{name: a}, {name: b, replicas: 1}]", null)]
    [InlineData("object.spec.items.exists(i, i.replicas == 1)", "[{name: a}, {name: b, replicas: 2}]", "expression could not be evaluated")]
    [InlineData("object.spec.items.all(i, i.replicas == 1)", "[{name: a}, {name: b, replicas: 2}]", "failed expression")]
    [InlineData("object.spec.items.all(i, i.replicas == 1)", "[{name: a}, {name: b, replicas: 1}]", "expression could not be evaluated")]
    [InlineData("object.spec.items.exists_one(i, i.replicas == 1)", "[{name: a}, {name: b, replicas: 1}]", "expression could not be evaluated")]
    [InlineData("object.spec.items.exists_one(i, i.replicas == 1)", "[{name: a, replicas: 2}, {name: b, replicas: 1}]", null)]
    public void AnElementThatCannotBeEvaluatedDecidesExistsAndAllOnlyWhenNoOtherElementDoes(string expression, string items, string? failure)
    {
        var report = Policies.Load(Rule(expression)).Check(ManifestLoader.Parse($"apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: api}}\nspec: {{items: {items}}}\n", "d.yaml"));

        // As on the API server: exists is true when one element is, all false when one is; otherwise an element in error is an error.
        if (failure is null)
        {
            Assert.Empty(report.Violations);
        }
        else
        {
            Assert.StartsWith(failure, Assert.Single(report.Violations).Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("has(object.spec.selector)", "{selector: {}}", true)]
    [InlineData("has(object.spec.selector)", "{selector: {app: web}}", true)]
    [InlineData("has(object.spec.ports)", "{ports: []}", false)]
    [InlineData("has(object.spec.ports)", "{ports: [80]}", true)]
    [InlineData("has(object.spec.name)", "{name: ''}", false)]
    [InlineData("has(object.spec.name)", "{name: web}", true)]
    [InlineData("has(object.spec.name)", "{name: null}", false)]
    [InlineData("has(object.spec.name)", "{}", false)]
    [InlineData("has(object.spec.replicas)", "{replicas: 0}", true)]
    [InlineData("has(object.spec.paused)", "{paused: false}", true)]
    public void AFieldIsPresentAsTheApiServerKeepsIt(string expression, string spec, bool present)
    {
        Assert.Equal(present, Passes(expression, $"apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: api}}\nspec: {spec}\n"));
    }

    [Theory]
    [InlineData("'a, b,c'.split(',') == ['a', ' b', 'c']")]
    [InlineData("['a', 'b'].join() == 'ab'")]
    [InlineData("['a', 'b'].join(', ') == 'a, b'")]
    [InlineData("[].join('-') == ''")]
    [InlineData("' a b '.trim() == 'a b'")]
    [InlineData("'Ab-C'.lowerAscii() == 'ab-c'")]
    [InlineData("'Ab-c'.upperAscii() == 'AB-C'")]
    [InlineData("object.data.filter(k, k.startsWith('x')) == ['xa']")]
    [InlineData("object.data.map(k, k.upperAscii()) == ['XA', 'B']")]
    [InlineData("object.data.exists(k, k == 'b')")]
    [InlineData("object.data.all(k, k != 'c')")]
    [InlineData("object.data.exists_one(k, k.startsWith('x'))")]
    [InlineData("!object.data.exists_one(k, size(k) < 3)")]
    public void TheKubernetesStringFunctionsAndTheMacrosOverAMapsKeysMeanWhatTheyMeanOnTheApiServer(string expression)
    {
        Assert.True(Passes(expression, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {xa: '1', b: '2'}\n"));
    }

    [Theory]
    [InlineData("[1, 2].join(',') == ''", "join() takes a list of strings")]
    [InlineData("object.metadata.name.exists(c, c == 'a')", "exists() takes a list or a map, not String")]
    [InlineData("[1, 2].all(i, i)", "all(): the predicate does not return a bool")]
    [InlineData("[1, 2].exists(i, i)", "exists(): the predicate does not return a bool")]
    [InlineData("[1, 2].exists_one(i, i)", "exists_one(): the predicate does not return a bool")]
    public void AFunctionGivenWhatItDoesNotTakeCannotBeEvaluated(string expression, string reason)
    {
        var violation = Assert.Single(Policies.Load(Rule(expression)).Check(ManifestLoader.Parse("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n", "c.yaml")).Violations);

        Assert.Contains(reason, violation.Message, StringComparison.Ordinal);
    }

    /// <summary>Whether <paramref name="yaml"/> passes a policy whose one validation is <paramref name="expression"/> (it must evaluate).</summary>
    private static bool Passes(string expression, string yaml)
    {
        var report = Policies.Load(Rule(expression)).Check(ManifestLoader.Parse(yaml, "object.yaml"));

        Assert.All(report.Violations, violation => Assert.DoesNotContain("could not be evaluated", violation.Message, StringComparison.Ordinal));
        return report.Passed;
    }

    private static string Rule(string expression) =>
        $$"""
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicy
        metadata: {name: rule}
        spec:
          matchConstraints:
            resourceRules: [{apiGroups: ["", apps], apiVersions: [v1], operations: [CREATE], resources: [configmaps, deployments]}]
          validations: [{expression: "{{expression}}"}]
        ---
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicyBinding
        metadata: {name: rule}
        spec: {policyName: rule, validationActions: [Deny]}
        """;
}
