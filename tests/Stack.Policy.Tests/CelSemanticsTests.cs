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
        using var folder = new TemporaryDirectory();
        File.WriteAllText(Path.Combine(folder.Path, "presence.yaml"), Policy);
        var policies = PolicySet.Load(folder.Path);

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
        using var folder = new TemporaryDirectory();
        File.WriteAllText(Path.Combine(folder.Path, "items.yaml"), $$"""
            apiVersion: admissionregistration.k8s.io/v1
            kind: ValidatingAdmissionPolicy
            metadata: {name: items}
            spec:
              matchConstraints:
                resourceRules: [{apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [deployments]}]
              validations: [{expression: "{{expression}}"}]
            ---
            apiVersion: admissionregistration.k8s.io/v1
            kind: ValidatingAdmissionPolicyBinding
            metadata: {name: items}
            spec: {policyName: items, validationActions: [Deny]}
            """);

        var report = PolicySet.Load(folder.Path).Check(ManifestLoader.Parse($"apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: api}}\nspec: {{items: {items}}}\n", "d.yaml"));

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
}
