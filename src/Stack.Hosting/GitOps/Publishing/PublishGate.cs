using Microsoft.Extensions.Logging;
using Stack.Hosting.Policy;
using Stack.Policy;

namespace Stack.Hosting.GitOps.Publishing;

/// <summary>
/// The publish gate: a new tree replaces the old one only if every overlay passes the admission
/// policies the cluster will enforce. Without <c>WithPolicies</c> there is nothing to check.
/// </summary>
internal static class PublishGate
{
    /// <exception cref="GitOpsPublishException">The policies cannot be used, or an object breaks one.</exception>
    public static void Check(GitOpsEnvironmentResource environment, string stagedTree, ILogger logger)
    {
        if (environment.PoliciesDirectory is not { } policies)
        {
            return;
        }

        PolicyGateResult result;
        try
        {
            result = PolicyGate.Check(policies, stagedTree);
        }
        catch (Exception exception) when (exception is PolicyLoadException or DirectoryNotFoundException)
        {
            throw new GitOpsPublishException($"The policies in {policies} cannot be used: {exception.Message}");
        }

        if (!result.Passed)
        {
            throw new GitOpsPublishException($"The rendered manifests do not pass the policy gate ({result.Summary}); nothing was written:\n  " + string.Join("\n  ", result.Describe()));
        }

        logger.LogInformation("Policy gate passed: {Objects} objects in {Environments} environments", result.Overlays.Values.Sum(r => r.ObjectsChecked), result.Overlays.Count);
    }
}
