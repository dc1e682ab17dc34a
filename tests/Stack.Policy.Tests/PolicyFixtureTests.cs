namespace Stack.Policy.Tests;

/// <summary>
/// Each real policy against fixtures: Fixtures/Passing must pass every policy; each file under
/// Fixtures/Failing/&lt;policy&gt;/ must fail that policy (and only it), with a message containing
/// its "# expect:" line, including violations hidden in the pod templates of controllers.
/// </summary>
public sealed class PolicyFixtureTests
{
    public static TheoryData<string> PassingFixtures => Fixtures("Passing");

    public static TheoryData<string> FailingFixtures => Fixtures("Failing");

    [Theory]
    [MemberData(nameof(PassingFixtures))]
    public void ACompliantManifestPassesEveryPolicy(string fixture)
    {
        var report = Policies.Real.Check(ManifestLoader.Load(Path.Combine(Repository.Fixtures, fixture)));

        Assert.Empty(report.Problems);
        Assert.Empty(report.Violations);
        Assert.NotEqual(0, report.ObjectsChecked);
    }

    [Theory]
    [MemberData(nameof(FailingFixtures))]
    public void AManifestBreakingOneRuleIsRejectedByThatPolicyAlone(string fixture)
    {
        var path = Path.Combine(Repository.Fixtures, fixture);
        var policy = Path.GetFileName(Path.GetDirectoryName(path))!;
        var expected = File.ReadLines(path).Single(line => line.StartsWith("# expect: ", StringComparison.Ordinal))["# expect: ".Length..];

        var report = Policies.Real.Check(ManifestLoader.Load(path));

        Assert.Empty(report.Problems);
        var violation = Assert.Single(report.Violations);
        Assert.Equal(policy, violation.Policy);
        Assert.Contains(expected, violation.Message, StringComparison.Ordinal);
        Assert.Equal(path, violation.Source);
        Assert.Equal(File.ReadLines(path).TakeWhile(line => line.StartsWith('#')).Count() + 1, violation.Line);
    }

    [Fact]
    public void EveryPolicyThatJudgesManifestsHasAFailingFixture()
    {
        var covered = Directory.EnumerateDirectories(Path.Combine(Repository.Fixtures, "Failing")).Select(Path.GetFileName);

        // The rules of updates and deletions never see a manifest: the cluster tests cover them.
        Assert.Equal(Policies.Real.PolicyNamesJudgedOffline.Order(), covered.Order());
    }

    [Fact]
    public void EveryKindOfPodTemplateIsCoveredByAFailingFixture()
    {
        var kinds = Directory.EnumerateFiles(Path.Combine(Repository.Fixtures, "Failing"), "*.yaml", SearchOption.AllDirectories)
            .SelectMany(file => ManifestLoader.Load(file).Manifests)
            .Select(manifest => manifest.Kind)
            .ToHashSet();

        Assert.Superset(new HashSet<string> { "Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob", "Rollout" }, kinds);
    }

    private static TheoryData<string> Fixtures(string folder) =>
        [.. Directory.EnumerateFiles(Path.Combine(Repository.Fixtures, folder), "*.yaml", SearchOption.AllDirectories)
            .Select(file => Path.GetRelativePath(Repository.Fixtures, file))
            .Order(StringComparer.Ordinal)];
}
