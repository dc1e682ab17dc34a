using Aspire.Hosting.ApplicationModel;

namespace Stack.Hosting.Policy;

/// <summary>The policy gate as the dashboard shows it: its state is the last check's verdict, its logs the violations.</summary>
/// <param name="name">The resource name.</param>
public sealed class PolicyGateResource(string name) : Resource(name)
{
    /// <summary>The folder of admission policies.</summary>
    public required string PoliciesDirectory { get; init; }

    /// <summary>The GitOps tree whose overlays are checked.</summary>
    public required string DeployDirectory { get; init; }
}
