using static Stack.Tests.Shared.PolicyExamples;

namespace Stack.Policy.Tests;

/// <summary>Loading the policies and the admission semantics the engine follows (params, failurePolicy, matchConditions, actions).</summary>
public sealed class PolicySetTests
{
    [Fact]
    public void TheRealPoliciesLoadWithEveryRule()
    {
        Assert.Equal(
            ["stack-allowed-registries", "stack-configmap-secrets", "stack-egress-everywhere", "stack-env-secrets", "stack-image-digests", "stack-image-tags",
             "stack-payments-isolation", "stack-pod-security", "stack-probes", "stack-resources", "stack-workload-labels"],
            Policies.Real.PolicyNames.Order());
    }

    [Fact]
    public void ThePoliciesAndTheirParametersPassTheirOwnRules()
    {
        var report = Policies.Real.Check(ManifestLoader.Load(Repository.Policies));

        Assert.True(report.Passed, string.Join("\n", report.Violations.Select(violation => violation.Message).Concat(report.Problems.Select(problem => problem.Message))));
        Assert.Equal(24, report.ObjectsChecked);
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
    [InlineData("has(object.spec.template)", "object.spec.?template.hasValue()", "optional syntax")]
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
        using var folder = new TemporaryDirectory();
        File.WriteAllText(Path.Combine(folder.Path, "paused.yaml"), Policy("paused", failurePolicy, NotPaused, "[Deny]"));

        var report = PolicySet.Load(folder.Path).Check(ManifestLoader.Parse(DeploymentWithoutReplicas, "d.yaml"));

        Assert.Equal(violations, report.Violations.Count);
        Assert.All(report.Violations, violation => Assert.Contains("could not be evaluated", violation.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void MatchConditionsAndResourceRulesDecideWhichObjectsAPolicyJudges()
    {
        using var folder = new TemporaryDirectory();
        File.WriteAllText(Path.Combine(folder.Path, "replicas.yaml"), Policy("replicas", "Fail", AtMostThreeReplicas, "[Deny]", NotCanary));
        var policies = PolicySet.Load(folder.Path);

        var report = policies.Check(ManifestLoader.Parse(ThreeWorkloadsOfFiveReplicas, "d.yaml"));

        Assert.Equal(3, report.ObjectsChecked);
        var violation = Assert.Single(report.Violations);
        Assert.Equal(("big", "failed expression: object.spec.replicas <= 3"), (violation.Name, violation.Message));
    }

    [Fact]
    public void AWarnBindingReportsWithoutFailing()
    {
        using var folder = new TemporaryDirectory();
        File.WriteAllText(Path.Combine(folder.Path, "replicas.yaml"), Policy("replicas", "Fail", AtMostThreeReplicas, "[Warn, Audit]"));

        var report = PolicySet.Load(folder.Path).Check(ManifestLoader.Parse(DeploymentWithNineReplicas, "d.yaml"));

        Assert.Empty(report.Violations);
        Assert.Equal("replicas", Assert.Single(report.Warnings).Policy);
        Assert.True(report.Passed);
    }

    [Fact]
    public void FilterAndMapOverAMapWalkItsKeysAsCelSpecifies()
    {
        using var folder = new TemporaryDirectory();
        File.WriteAllText(Path.Combine(folder.Path, "keys.yaml"), Policy("keys", "Fail", OnlyKeyXa, "[Deny]", resource: "configmaps", group: "\"\""));

        var report = PolicySet.Load(folder.Path).Check(ManifestLoader.Parse(ConfigMapWithKeysXaAndB, "c.yaml"));

        Assert.True(report.Passed, string.Join("\n", report.Violations.Select(violation => violation.Message)));
        Assert.Equal(1, report.ObjectsChecked);
    }

    // Inside Stack.Policy.*, a bare "Policy" names the namespace: the shared builder is reached through this.
    private static string Policy(string name, string failurePolicy, string expression, string actions, string extra = "", string resource = "deployments", string group = "apps") =>
        PolicyExamples.Policy(name, failurePolicy, expression, actions, extra, resource, group);
}
