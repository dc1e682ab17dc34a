using static Stack.Tests.Shared.PolicyExamples;

namespace Stack.Policy.Tests;

/// <summary>Loading the policies and the admission semantics the engine follows (params, failurePolicy, matchConditions, actions).</summary>
public sealed class PolicySetTests
{
    [Fact]
    public void TheRealPoliciesLoadWithEveryRule()
    {
        Assert.Equal(
            ["stack-allowed-registries", "stack-configmap-secrets", "stack-default-deny", "stack-egress-everywhere", "stack-enforced-namespaces", "stack-env-secrets",
             "stack-image-digests", "stack-image-tags", "stack-payments-isolation", "stack-pod-security", "stack-probes", "stack-resources", "stack-workload-labels"],
            Policies.Real.PolicyNames.Order());
        Assert.Equal(
            ["stack-allowed-registries", "stack-configmap-secrets", "stack-egress-everywhere", "stack-env-secrets", "stack-image-digests", "stack-image-tags",
             "stack-payments-isolation", "stack-pod-security", "stack-probes", "stack-resources", "stack-workload-labels"],
            Policies.Real.PolicyNamesJudgedOffline.Order());
    }

    [Fact]
    public void ThePoliciesAndTheirParametersPassTheirOwnRules()
    {
        var rendered = ManifestLoader.Load(Repository.Policies);
        var report = Policies.Real.Check(rendered);

        Assert.True(report.Passed, string.Join("\n", report.Violations.Select(violation => violation.Message).Concat(report.Problems.Select(problem => problem.Message))));
        Assert.Equal(rendered.Manifests.Count, report.ObjectsChecked);
        Assert.Contains(rendered.Manifests, manifest => manifest.Kind == "ConfigMap" && manifest.Name == "stack-policy-params");
    }

    [Fact]
    public void TheKustomizationRendersEveryPolicyFileInTheEarliestSyncWave()
    {
        var rendered = ManifestLoader.Load(Repository.Policies).Manifests;
        var files = Directory.EnumerateFiles(Repository.Policies, "*.yaml")
            .Where(file => Path.GetFileName(file) != "kustomization.yaml")
            .SelectMany(file => ManifestLoader.Load(file).Manifests);

        Assert.Equal(files.Select(manifest => manifest.DisplayName).Order(), rendered.Select(manifest => manifest.DisplayName).Order());
        Assert.All(rendered, manifest =>
        {
            var annotations = Assert.IsType<Dictionary<string, object?>>(((Dictionary<string, object?>)manifest.Content["metadata"]!)["annotations"]);
            Assert.Equal("-10", annotations["argocd.argoproj.io/sync-wave"]);
        });
    }

    [Fact]
    public void ACompliantPodPassesAndTheSamePodWithLatestFails()
    {
        Assert.True(Policies.Check(CompliantPod).Passed);

        var violation = Assert.Single(Policies.Check(CompliantPod.Replace(":1.0.0", ":latest", StringComparison.Ordinal)).Violations);
        Assert.Equal(("stack-image-tags", "Pod", "api", 1), (violation.Policy, violation.Kind, violation.Name, violation.Line));
    }

    [Fact]
    public void ACelExpressionThatDoesNotCompileFailsLoudlyNamingThePolicyAndTheExpression()
    {
        using var copy = Policies.CopyOfReal();
        var file = Path.Combine(copy.Path, "probes.yaml");
        File.WriteAllText(file, File.ReadAllText(file).Replace("\"size(variables.unprobed) == 0\"", "\"size(variables.unprobed) == (0\"", StringComparison.Ordinal));

        var exception = Assert.Throws<PolicyLoadException>(() => PolicySet.Load(copy.Path));

        Assert.Equal("stack-probes", exception.Policy);
        Assert.Equal("size(variables.unprobed) == (0", exception.Expression);
        Assert.Contains("stack-probes", exception.Message, StringComparison.Ordinal);
        Assert.Contains("size(variables.unprobed) == (0", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("has(object.spec.template)", "object.spec.?template.hasValue()", "the optional syntax (.?field, orValue) is not supported offline; use has()")]
    [InlineData("has(object.spec.template)", "object.spec.?template != null", "the optional syntax (.?field, [?key], orValue) is not supported offline; use has()")]
    [InlineData("has(object.spec.template)", "object.spec[?'template'] != null", "the optional syntax (.?field, [?key], orValue) is not supported offline; use has()")]
    [InlineData("has(object.spec.template)", "object.spec.templte.hasTemplate()", "unknown function 'hasTemplate'")]
    public void AnExpressionTheCelPackageCannotEvaluateIsRefusedWhenThePoliciesLoad(string original, string replacement, string reason)
    {
        using var copy = Policies.CopyOfReal();
        var file = Path.Combine(copy.Path, "resources.yaml");
        File.WriteAllText(file, File.ReadAllText(file).Replace(original, replacement, StringComparison.Ordinal));

        var exception = Assert.Throws<PolicyLoadException>(() => PolicySet.Load(copy.Path));

        Assert.Equal("stack-resources", exception.Policy);
        Assert.Contains(reason, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AllowedRegistriesComeFromTheParamsConfigMapOfTheBinding()
    {
        using var copy = Policies.CopyOfReal();
        var file = Path.Combine(copy.Path, "params.yaml");
        File.WriteAllText(file, File.ReadAllText(file).Replace("ghcr.io/stack-games/", "registry.example.com/", StringComparison.Ordinal));

        var violation = Assert.Single(PolicySet.Load(copy.Path).Check(ManifestLoader.Parse(CompliantPod, "pod.yaml")).Violations);

        Assert.Equal("stack-allowed-registries", violation.Policy);
        Assert.Contains("(docker.io/library/, registry.example.com/)", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ABindingWhoseParamsAreMissingFailsLoudly()
    {
        using var copy = Policies.CopyOfReal();
        File.Delete(Path.Combine(copy.Path, "params.yaml"));

        var exception = Assert.Throws<PolicyLoadException>(() => PolicySet.Load(copy.Path));

        Assert.Equal("stack-allowed-registries", exception.Policy);
        Assert.Contains("stack-policy/stack-policy-params", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NullIsRefusedWhereAFolderOrObjectsAreExpected()
    {
        Assert.Throws<ArgumentNullException>(() => PolicySet.Load(null!));
        Assert.Throws<ArgumentException>(() => PolicySet.Load(""));
        Assert.Throws<ArgumentNullException>(() => Policies.Real.Check((ManifestSet)null!));
        Assert.Throws<ArgumentNullException>(() => Policies.Real.Check((IEnumerable<Manifest>)null!));
    }

    [Fact]
    public void AFolderWithoutPoliciesFailsLoudly()
    {
        using var empty = new TemporaryDirectory();

        Assert.Contains("no policies", Assert.Throws<PolicyLoadException>(() => PolicySet.Load(empty.Path)).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Fail", 1)]
    [InlineData("Ignore", 0)]
    public void AnExpressionThatCannotBeEvaluatedDeniesUnderFailAndAdmitsUnderIgnore(string failurePolicy, int violations)
    {
        var report = Policies.Load(Policy("paused", failurePolicy, NotPaused, "[Deny]")).Check(ManifestLoader.Parse(DeploymentWithoutReplicas, "d.yaml"));

        Assert.Equal(violations, report.Violations.Count);
        Assert.All(report.Violations, violation => Assert.Contains("could not be evaluated", violation.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void MatchConditionsAndResourceRulesDecideWhichObjectsAPolicyJudges()
    {
        var policies = Policies.Load(Policy("replicas", "Fail", AtMostThreeReplicas, "[Deny]", NotCanary));

        var report = policies.Check(ManifestLoader.Parse(ThreeWorkloadsOfFiveReplicas, "d.yaml"));

        Assert.Equal(3, report.ObjectsChecked);
        var violation = Assert.Single(report.Violations);
        Assert.Equal(("big", "failed expression: object.spec.replicas <= 3"), (violation.Name, violation.Message));
    }

    [Fact]
    public void AWarnBindingReportsWithoutFailing()
    {
        var report = Policies.Load(Policy("replicas", "Fail", AtMostThreeReplicas, "[Warn, Audit]")).Check(ManifestLoader.Parse(DeploymentWithNineReplicas, "d.yaml"));

        Assert.Empty(report.Violations);
        Assert.Equal("replicas", Assert.Single(report.Warnings).Policy);
        Assert.True(report.Passed);
    }

    [Fact]
    public void FilterAndMapOverAMapWalkItsKeysAsCelSpecifies()
    {
        var report = Policies.Load(Policy("keys", "Fail", OnlyKeyXa, "[Deny]", resource: "configmaps", group: "\"\"")).Check(ManifestLoader.Parse(ConfigMapWithKeysXaAndB, "c.yaml"));

        Assert.True(report.Passed, string.Join("\n", report.Violations.Select(violation => violation.Message)));
        Assert.Equal(1, report.ObjectsChecked);
    }

    [Fact]
    public void AMatchConditionThatCannotBeEvaluatedDeniesUnderFail()
    {
        var violation = Assert.Single(CheckUnlabelledDeployment("Fail").Violations);

        Assert.StartsWith("matchCondition 'labelled' could not be evaluated: ", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMatchConditionThatCannotBeEvaluatedSkipsTheObjectUnderIgnore()
    {
        var report = CheckUnlabelledDeployment("Ignore");

        Assert.Empty(report.Violations);
        Assert.Equal(1, report.ObjectsChecked);
    }

    [Fact]
    public void ParametersWithoutANamespaceAreTheObjectsNamespacesOwn()
    {
        var policies = Policies.Load(
            """
            apiVersion: admissionregistration.k8s.io/v1
            kind: ValidatingAdmissionPolicy
            metadata: {name: replicas}
            spec:
              paramKind: {apiVersion: v1, kind: ConfigMap}
              matchConstraints:
                resourceRules: [{apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [deployments]}]
              validations: [{expression: "object.spec.replicas <= int(params.data.max)", messageExpression: "'at most ' + params.data.max"}]
            ---
            apiVersion: admissionregistration.k8s.io/v1
            kind: ValidatingAdmissionPolicyBinding
            metadata: {name: replicas}
            spec: {policyName: replicas, validationActions: [Deny], paramRef: {name: limits}}
            ---
            apiVersion: admissionregistration.k8s.io/v1
            kind: ValidatingAdmissionPolicyBinding
            metadata: {name: replicas-lenient}
            spec: {policyName: replicas, validationActions: [Deny], paramRef: {name: limits, parameterNotFoundAction: Allow}}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: limits, namespace: games}
            data: {max: "3"}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: limits, namespace: tools}
            data: {max: "9"}
            """);

        var report = policies.Check(ManifestLoader.Parse(
            """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: api, namespace: games}
            spec: {replicas: 5}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: runner, namespace: tools}
            spec: {replicas: 5}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: stray, namespace: elsewhere}
            spec: {replicas: 5}
            """, "d.yaml"));

        Assert.Equal(
            [("replicas", "Deployment/api (games)", "at most 3"), ("replicas-lenient", "Deployment/api (games)", "at most 3"),
             ("replicas", "Deployment/stray (elsewhere)", "parameters elsewhere/limits not found (parameterNotFoundAction: Deny)")],
            report.Violations.Select(violation => (violation.Binding, violation.Object, violation.Message)));
    }

    [Theory]
    [InlineData("messageExpression: \"'replicas: ' + string(object.spec.replicas)\", message: too many", "replicas: 9")]
    [InlineData("messageExpression: \"''\", message: too many", "too many")]
    [InlineData("messageExpression: \"'two\\\\nlines'\", message: too many", "too many")]
    [InlineData("messageExpression: \"object.spec.missing\", message: too many", "too many")]
    [InlineData("messageExpression: \"object.spec.missing\"", "failed expression: object.spec.replicas <= 3")]
    [InlineData("message: too many", "too many")]
    public void AFailureIsWordedByItsMessageExpressionElseByItsMessageElseByItsExpression(string wording, string message)
    {
        var report = Policies.Load(Policy("replicas", "Fail", "", "[Deny]", validation: $"{{expression: \"object.spec.replicas <= 3\", {wording}}}")).Check(ManifestLoader.Parse("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec: {replicas: 9}\n", "d.yaml"));

        Assert.Equal(message, Assert.Single(report.Violations).Message);
    }

    [Fact]
    public void AnExpressionThatIsNotABoolCannotBeEvaluated()
    {
        var report = Policies.Load(Policy("replicas", "Fail", "object.spec.replicas", "[Deny]")).Check(ManifestLoader.Parse("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec: {replicas: 9}\n", "d.yaml"));

        Assert.Equal("expression could not be evaluated (the expression does not return a bool): object.spec.replicas", Assert.Single(report.Violations).Message);
    }

    [Fact]
    public void AFieldAValidationReadsThatIsMissingIsNamedInTheFailure()
    {
        var report = Policies.Load(Policy("replicas", "Fail", "object.spec.paused", "[Deny]")).Check(ManifestLoader.Parse("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec: {replicas: 9}\n", "d.yaml"));

        var message = Assert.Single(report.Violations).Message;
        Assert.StartsWith("expression could not be evaluated (", message, StringComparison.Ordinal);
        Assert.Contains("'paused'", message, StringComparison.Ordinal);
    }

    [Fact]
    public void AVariableIsNamedInAFailureItCauses()
    {
        var report = Policies.Load(Policy("replicas", "Fail", "variables.paused", "[Deny]",
            "variables: [{name: paused, expression: \"object.spec.paused\"}, {name: loop, expression: \"variables.loop\"}]"), Policy("loop", "Fail", "variables.loop", "[Deny]",
            "variables: [{name: loop, expression: \"variables.loop\"}]")).Check(ManifestLoader.Parse("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec: {replicas: 9}\n", "d.yaml"));

        Assert.Equal(2, report.Violations.Count);
        Assert.StartsWith("expression could not be evaluated (variable 'paused': ", report.Violations[0].Message, StringComparison.Ordinal);
        Assert.Contains("variable 'loop' refers to itself", report.Violations[1].Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{matchLabels: {tier: web}}", "web")]
    [InlineData("{matchExpressions: [{key: tier, operator: In, values: [web, db]}]}", "web db")]
    [InlineData("{matchExpressions: [{key: tier, operator: NotIn, values: [web]}]}", "db none")]
    [InlineData("{matchExpressions: [{key: tier, operator: Exists}]}", "web db")]
    [InlineData("{matchExpressions: [{key: tier, operator: DoesNotExist}]}", "none")]
    [InlineData("{matchLabels: {tier: web}, matchExpressions: [{key: tier, operator: In, values: [db]}]}", "")]
    [InlineData("{}", "web db none")]
    public void AnObjectSelectorChoosesTheObjectsAPolicyJudgesByTheirLabels(string selector, string judged)
    {
        var report = Policies.Load(Policy("replicas", "Fail", "false", "[Deny]",
            matchConstraints: $"{{objectSelector: {selector}, resourceRules: [{{apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [deployments]}}]}}")).Check(ManifestLoader.Parse(
            """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, labels: {tier: web}}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: db, labels: {tier: db}}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: none}
            """, "d.yaml"));

        Assert.Equal(judged, string.Join(' ', report.Violations.Select(violation => violation.Name)));
    }

    [Fact]
    public void AnUnknownSelectorOperatorFailsLoudly()
    {
        var exception = Assert.Throws<PolicyLoadException>(() => Policies.Load(Policy("replicas", "Fail", "false", "[Deny]",
            matchConstraints: "{objectSelector: {matchExpressions: [{key: tier, operator: Near}]}, resourceRules: [{apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [deployments]}]}")).Check(ManifestLoader.Parse("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\n", "d.yaml")));

        Assert.Equal("replicas: unknown selector operator 'Near'", exception.Message);
    }

    [Theory]
    [InlineData("networking.k8s.io", "networkpolicies", "networking.k8s.io/v1", "NetworkPolicy")]
    [InlineData("networking.k8s.io", "ingresses", "networking.k8s.io/v1", "Ingress")]
    [InlineData("\"\"", "endpoints", "v1", "Endpoints")]
    [InlineData("\"\"", "services", "v1", "Service")]
    [InlineData("gateway.networking.k8s.io", "gateways", "gateway.networking.k8s.io/v1", "Gateway")]
    [InlineData("mesh.example.com", "meshes", "mesh.example.com/v1", "Mesh")]
    [InlineData("mesh.example.com", "boxes", "mesh.example.com/v1", "Box")]
    [InlineData("mesh.example.com", "batches", "mesh.example.com/v1", "Batch")]
    [InlineData("mesh.example.com", "\"*\"", "mesh.example.com/v1", "Anything")]
    [InlineData("\"*\"", "\"*/*\"", "mesh.example.com/v1", "Anything")]
    public void AResourceRuleNamesAKindByItsPluralResource(string group, string resource, string apiVersion, string kind)
    {
        var report = Policies.Load(Policy("judge", "Fail", "false", "[Deny]", resource: resource, group: group)).Check(ManifestLoader.Parse($"apiVersion: {apiVersion}\nkind: {kind}\nmetadata: {{name: one}}\n", "o.yaml"));

        Assert.Equal("one", Assert.Single(report.Violations).Name);
    }

    [Theory]
    [InlineData("resourceRules: [{apiGroups: [apps], apiVersions: [v2], operations: [CREATE], resources: [deployments]}]")]
    [InlineData("resourceRules: [{apiGroups: [apps], apiVersions: [v1], operations: [UPDATE, DELETE], resources: [deployments]}]")]
    [InlineData("resourceRules: [{apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [deployments/status]}]")]
    [InlineData("resourceRules: [{apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [deployments], resourceNames: [web]}]")]
    [InlineData("resourceRules: [{apiGroups: [apps], apiVersions: [\"*\"], operations: [\"*\"], resources: [deployments]}], excludeResourceRules: [{apiGroups: [apps], apiVersions: [v1], resources: [deployments]}]")]
    public void AnObjectOutsideEveryResourceRuleIsNotJudged(string rules)
    {
        var report = Policies.Load(Policy("replicas", "Fail", "false", "[Deny]", matchConstraints: $"{{{rules}}}")).Check(ManifestLoader.Parse("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\n", "d.yaml"));

        Assert.Empty(report.Violations);
        Assert.Equal(1, report.ObjectsChecked);
    }

    [Fact]
    public void ABindingsOwnResourceRulesNarrowWhatItsPolicyJudges()
    {
        var policies = Policies.Load(
            """
            apiVersion: admissionregistration.k8s.io/v1
            kind: ValidatingAdmissionPolicy
            metadata: {name: judge}
            spec:
              matchConstraints:
                resourceRules: [{apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [deployments, statefulsets]}]
              validations: [{expression: "false"}]
            ---
            apiVersion: admissionregistration.k8s.io/v1
            kind: ValidatingAdmissionPolicyBinding
            metadata: {name: judge-statefulsets}
            spec:
              policyName: judge
              validationActions: [Deny]
              matchResources:
                resourceRules: [{apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [statefulsets]}]
            """);

        var report = policies.Check(ManifestLoader.Parse(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\n", "o.yaml"));

        Assert.Equal(["db"], report.Violations.Select(violation => violation.Name));
    }

    [Fact]
    public void AViolationNamesItsObjectAndWhereItWasWritten()
    {
        var violation = Assert.Single(Policies.Check(CompliantPod.Replace(":1.0.0", ":latest", StringComparison.Ordinal).Replace("name: api\n  labels", "name: api\n  namespace: games\n  labels", StringComparison.Ordinal), "pod.yaml").Violations);
        var unnamespaced = Assert.Single(Policies.Check(CompliantPod.Replace(":1.0.0", ":latest", StringComparison.Ordinal), "pod.yaml").Violations);

        Assert.Equal(("Pod/api (games)", "pod.yaml:1"), (violation.Object, violation.Location));
        Assert.Equal("Pod/api", unnamespaced.Object);
    }

    /// <summary>A Deployment of 9 replicas without labels, judged by a policy whose matchCondition reads a label.</summary>
    private static PolicyReport CheckUnlabelledDeployment(string failurePolicy)
    {
        return Policies.Load(Policy("replicas", failurePolicy, "object.spec.replicas <= 3", "[Deny]",
            "matchConditions: [{name: labelled, expression: \"object.metadata.labels.team == 'games'\"}]")).Check(ManifestLoader.Parse("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec: {replicas: 9}\n", "d.yaml"));
    }

    // Inside Stack.Policy.*, a bare "Policy" names the namespace: the shared builder is reached through this.
    private static string Policy(
        string name, string failurePolicy, string expression, string actions, string extra = "", string resource = "deployments", string group = "apps",
        string? matchConstraints = null, string? validation = null) =>
        PolicyExamples.Policy(name, failurePolicy, expression, actions, extra, resource, group, matchConstraints, validation);
}
