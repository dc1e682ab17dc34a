using Aspire.Hosting.ApplicationModel;
using Stack.Hosting.GitOps;

namespace Stack.Hosting.Policy;

/// <summary>
/// The policy gate as the dashboard shows it: its state is the last check's verdict, its logs the
/// violations. It judges the tree and with the policies of its GitOps environment.
/// </summary>
/// <param name="name">The resource name.</param>
/// <param name="environment">The GitOps environment whose committed tree and policies it checks.</param>
public sealed class PolicyGateResource(string name, GitOpsEnvironmentResource environment) : Resource(name)
{
    /// <summary>The GitOps environment whose committed tree and policies it checks.</summary>
    public GitOpsEnvironmentResource Environment { get; } = environment;

    /// <summary>The folder of admission policies.</summary>
    /// <exception cref="InvalidOperationException">The GitOps environment ships no policies.</exception>
    public string PoliciesDirectory => Environment.PoliciesDirectory
        ?? throw new InvalidOperationException($"The GitOps environment '{Environment.Name}' has no policies: call WithPolicies(...) on it.");

    /// <summary>The GitOps tree whose overlays are checked.</summary>
    public string DeployDirectory => Environment.DeployTree.Root;
}
