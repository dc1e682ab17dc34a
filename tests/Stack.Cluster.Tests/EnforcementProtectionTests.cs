using Stack.Cluster.Tests.Kubernetes;

namespace Stack.Cluster.Tests;

/// <summary>
/// Enforcement cannot be switched off from below (infra/policies/enforcement-protection.yaml): an
/// enforced namespace keeps its label, and its default-deny NetworkPolicy stays closed while the
/// namespace lives. Updates and deletions are the API server's to judge: only the cluster sees them.
/// </summary>
public sealed class EnforcementProtectionTests(ControlPlane controlPlane)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    private Kubectl Kubectl => controlPlane.Cluster.Kubectl;

    private async Task<string> EnforcedNamespaceWithDefaultDenyAsync(string name)
    {
        await controlPlane.RealPoliciesAsync().WaitAsync(Timeout, TestContext.Current.CancellationToken);
        await controlPlane.Cluster.EnsureNamespaceAsync(name, new Dictionary<string, string> { ["stack.dev/policy"] = "enforced" });
        var defaultDeny = Path.Combine(Repository.Deploy, "base", "network", "default-deny.yaml");
        await Kubectl.RequireAsync("apply", "--server-side", "-n", name, "-f", defaultDeny);
        return name;
    }

    [Fact]
    public async Task AnEnforcedNamespaceKeepsItsLabelButTakesOthers()
    {
        var ns = await EnforcedNamespaceWithDefaultDenyAsync("protect-label");

        var removed = await Kubectl.RunAsync("label", "namespace", ns, "stack.dev/policy-");
        var changed = await Kubectl.RunAsync("label", "namespace", ns, "stack.dev/policy=off", "--overwrite");
        var other = await Kubectl.RunAsync("label", "namespace", ns, "team=games");

        Assert.NotEqual(0, removed.ExitCode);
        Assert.Contains("stack-enforced-namespaces", removed.StandardError);
        Assert.Contains("keeps its label stack.dev/policy: enforced", removed.StandardError);
        Assert.NotEqual(0, changed.ExitCode);
        Assert.Contains("stack-enforced-namespaces", changed.StandardError);
        Assert.True(other.ExitCode == 0, other.AllOutput);
        Assert.Equal("enforced", (await Kubectl.GetAsync("get", "namespace", ns))["metadata"]!["labels"]!["stack.dev/policy"]!.GetValue<string>());
    }

    [Fact]
    public async Task ANamespaceThatWasNeverEnforcedIsLabelledFreely()
    {
        await controlPlane.RealPoliciesAsync().WaitAsync(Timeout, TestContext.Current.CancellationToken);
        await controlPlane.Cluster.EnsureNamespaceAsync("free-label");

        var labelled = await Kubectl.RunAsync("label", "namespace", "free-label", "stack.dev/policy=audit");
        var unlabelled = await Kubectl.RunAsync("label", "namespace", "free-label", "stack.dev/policy-");

        Assert.True(labelled.ExitCode == 0, labelled.AllOutput);
        Assert.True(unlabelled.ExitCode == 0, unlabelled.AllOutput);
    }

    [Fact]
    public async Task DefaultDenyCannotBeDeletedOrOpenedWhileItsNamespaceLives()
    {
        var ns = await EnforcedNamespaceWithDefaultDenyAsync("protect-deny");

        var deleted = await Kubectl.RunAsync("delete", "networkpolicy", "default-deny", "-n", ns, "--wait=false");
        var opened = await Kubectl.RunAsync("patch", "networkpolicy", "default-deny", "-n", ns, "--type=merge", "-p", """{"spec":{"ingress":[{}]}}""");
        var narrowed = await Kubectl.RunAsync("patch", "networkpolicy", "default-deny", "-n", ns, "--type=merge", "-p", """{"spec":{"podSelector":{"matchLabels":{"app":"one"}}}}""");
        var relabelled = await Kubectl.RunAsync("label", "networkpolicy", "default-deny", "-n", ns, "reviewed=yes");

        Assert.NotEqual(0, deleted.ExitCode);
        Assert.Contains("default-deny may not be deleted while its namespace lives", deleted.StandardError);
        Assert.NotEqual(0, opened.ExitCode);
        Assert.Contains("default-deny must keep denying everything", opened.StandardError);
        Assert.NotEqual(0, narrowed.ExitCode);
        Assert.Contains("default-deny must keep denying everything", narrowed.StandardError);
        Assert.True(relabelled.ExitCode == 0, relabelled.AllOutput);
    }

    [Fact]
    public async Task AnyOtherNetworkPolicyOfTheNamespaceMayGo()
    {
        var ns = await EnforcedNamespaceWithDefaultDenyAsync("protect-others");
        var allowDns = Path.Combine(Repository.Deploy, "base", "network", "allow-dns.yaml");
        await Kubectl.RequireAsync("apply", "--server-side", "-n", ns, "-f", allowDns);

        var deleted = await Kubectl.RunAsync("delete", "networkpolicy", "allow-dns", "-n", ns);

        Assert.True(deleted.ExitCode == 0, deleted.AllOutput);
    }

    [Fact]
    public async Task DeletingTheNamespaceTakesDefaultDenyWithIt()
    {
        var ns = await EnforcedNamespaceWithDefaultDenyAsync("protect-gone");

        await Kubectl.RequireAsync("delete", "namespace", ns, "--wait=false");

        // The namespace controller deletes what the namespace holds: the rule lets it, so the namespace goes.
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        CommandLine.Result found;
        do
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500), TestContext.Current.CancellationToken);
            found = await Kubectl.RunAsync("get", "namespace", ns);
        }
        while (found.ExitCode == 0 && DateTime.UtcNow < deadline);

        Assert.True(found.ExitCode != 0 && found.StandardError.Contains("NotFound", StringComparison.Ordinal), $"namespace {ns} is still there: {found.AllOutput}");
    }
}
