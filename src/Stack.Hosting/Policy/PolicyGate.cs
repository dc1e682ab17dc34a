using Stack.GitOps;
using Stack.Policy;

namespace Stack.Hosting.Policy;

/// <summary>
/// The policy gate over a GitOps tree: every overlay, rendered by <c>kubectl kustomize</c> as Argo CD
/// renders it, judged by the admission policies the cluster enforces. Used by publish (before the
/// new tree is swapped in) and by the dashboard's "Check policies" command.
/// </summary>
public static class PolicyGate
{
    /// <summary>Judges every overlay of the tree at <paramref name="deployRoot"/> with the policies in <paramref name="policiesDirectory"/>.</summary>
    /// <exception cref="PolicyLoadException">A policy does not load or compile.</exception>
    public static PolicyGateResult Check(string policiesDirectory, string deployRoot)
    {
        var policies = PolicySet.Load(policiesDirectory);
        var tree = new DeployTree(deployRoot);
        var reports = new SortedDictionary<string, PolicyReport>(StringComparer.Ordinal);
        foreach (var environment in tree.Environments())
        {
            reports[environment] = policies.Check(ManifestLoader.Load(tree.Overlay(environment)));
        }

        return new PolicyGateResult(reports);
    }
}
