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
}
