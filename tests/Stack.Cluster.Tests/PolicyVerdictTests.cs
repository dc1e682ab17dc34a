using Stack.Cluster.Tests.Kubernetes;
using Stack.Cluster.Tests.Policies;

namespace Stack.Cluster.Tests;

/// <summary>
/// The same CEL on both engines: for every fixture and every mutation of the policy tests, the real
/// API server's admission (a server-side dry run into a namespace the policies enforce) decides as
/// `stack policy check` does: the same objects admitted, the same denied, by the same policy, in the same words.
/// </summary>
public sealed class PolicyVerdictTests(ControlPlane controlPlane, PolicyFixtureVerdicts fixtures) : IClassFixture<PolicyFixtureVerdicts>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    public static TheoryData<string> Fixtures => [.. PolicyFixtureVerdicts.Files];

    public static TheoryData<string> Mutations => [.. PolicyMutations.All.Select(mutation => mutation.Name)];

    public static TheoryData<string> BrokenExpressions => [.. PolicyMutations.BrokenExpressions.Keys];

    [Theory]
    [MemberData(nameof(Fixtures))]
    public async Task TheApiServerJudgesEveryPolicyFixtureAsStackPolicyCheckDoes(string fixture)
    {
        await controlPlane.RealPoliciesAsync().WaitAsync(Timeout, TestContext.Current.CancellationToken);
        var offline = await fixtures.OfflineAsync().WaitAsync(Timeout, TestContext.Current.CancellationToken);

        await AssertSameVerdictsAsync(PolicyFixtureVerdicts.Path(fixture), offline, ClusterPolicies.FixturesNamespace, name => name, fixture);
    }

    [Theory]
    [MemberData(nameof(Mutations))]
    public async Task TheApiServerJudgesEveryMutationOfThePolicyTestsAsStackPolicyCheckDoes(string name)
    {
        var cluster = controlPlane.Cluster;
        var mutation = PolicyMutations.All.Single(candidate => candidate.Name == name);
        var scratch = cluster.ScratchDirectory($"mutation-{name}");
        var manifest = Path.Combine(scratch, "manifest.yaml");
        await File.WriteAllTextAsync(manifest, string.Join("\n---\n", PolicyMutations.Completed(mutation.Manifest).Select(item => item.Json.ToJsonString())), TestContext.Current.CancellationToken);

        string @namespace;
        string? policies = null;
        if (mutation.WritePolicies is null)
        {
            await controlPlane.RealPoliciesAsync().WaitAsync(Timeout, TestContext.Current.CancellationToken);
            @namespace = ClusterPolicies.FixturesNamespace;
        }
        else
        {
            policies = mutation.WritePolicies(Path.Combine(scratch, "policies"));
            @namespace = await ClusterPolicies.InstallIsolatedAsync(cluster, policies, name).WaitAsync(Timeout, TestContext.Current.CancellationToken);
        }

        var offline = await OfflineCheck.RunAsync([manifest], policies).WaitAsync(Timeout, TestContext.Current.CancellationToken);
        await AssertSameVerdictsAsync(manifest, offline, @namespace, policy => ClusterPolicies.NameInGit(policy, name), $"mutation {name}");
    }

    [Theory]
    [MemberData(nameof(BrokenExpressions))]
    public async Task APolicyTheApiServerRefusesIsRefusedByStackPolicyCheckToo(string name)
    {
        var cluster = controlPlane.Cluster;
        var (file, text, replacement) = PolicyMutations.BrokenExpressions[name];
        var scratch = cluster.ScratchDirectory($"broken-{name}");
        var policies = PolicyMutations.CopyOfRealPolicies(Path.Combine(scratch, "policies"), file, text, replacement);
        var manifest = Path.Combine(scratch, "pod.yaml");
        await File.WriteAllTextAsync(manifest, PolicyExamples.CompliantPod, TestContext.Current.CancellationToken);

        // The changed policy alone, under a name of its own, offered to the API server without storing it.
        var changed = KubeObject.Parse(await File.ReadAllTextAsync(Path.Combine(policies, file), TestContext.Current.CancellationToken), file)
            .Where(item => item.Kind == "ValidatingAdmissionPolicy")
            .Select(item =>
            {
                item.Json["metadata"]!["name"] = $"{item.Name}--{name}";
                return item;
            });
        var server = await cluster.Kubectl.ApplyAsync(changed, dryRun: true, fieldManager: KubernetesCluster.TestFieldManager).WaitAsync(Timeout, TestContext.Current.CancellationToken);
        var offline = await OfflineCheck.RunAsync([manifest], policies).WaitAsync(Timeout, TestContext.Current.CancellationToken);

        var serverRefuses = server.ExitCode != 0;
        var offlineRefuses = offline.ExitCode == 2;
        TestContext.Current.TestOutputHelper?.WriteLine($"API server: {(serverRefuses ? "refuses" : "accepts")} the policy ({server.AllOutput.Trim()}); stack policy check: {(offlineRefuses ? "refuses" : "loads")} it");
        Assert.True(!serverRefuses || offlineRefuses,
            $"The API server refuses the policy changed by {name} but stack policy check loads it, so publish would pass a policy Argo CD cannot sync:\n{server.AllOutput.Trim()}");
    }

    private async Task AssertSameVerdictsAsync(string file, OfflineCheck offline, string @namespace, Func<string, string> policyName, string what)
    {
        var (judged, disagreements) = await Differential.CompareAsync(controlPlane.Cluster, file, offline, @namespace, policyName)
            .WaitAsync(Timeout, TestContext.Current.CancellationToken);

        Assert.NotEqual(0, judged);
        Findings.None(disagreements, $"objects of {what} the two engines judge differently");
    }
}
