using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Logging;
using Stack.Hosting.GitOps.Rendering;
using Stack.Hosting.Policy;
using Stack.Policy;

namespace Stack.Hosting.GitOps;

/// <summary>Renders a GitOps environment into a folder, keeping the image tags promotion committed there.</summary>
internal static class GitOpsPublisher
{
    public static async Task PublishAsync(
        GitOpsEnvironmentResource environment,
        DistributedApplicationModel model,
        DistributedApplicationExecutionContext executionContext,
        string outputDirectory,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        var tree = await new GitOpsRenderer(environment).RenderAsync(
            model,
            executionContext,
            environmentName => ReadIfExists(ImagesPath(outputDirectory, environmentName)),
            cancellationToken);

        await TreeSwap.ReplaceAsync(outputDirectory, tree.WriteTo, staging => CheckAsync(environment, staging, logger));
        logger.LogInformation("Wrote {Count} files for {Environments} to {Output}", tree.Files.Count, string.Join(", ", environment.Environments.Select(e => e.Name)), outputDirectory);
    }

    private static string? ReadIfExists(string path) => File.Exists(path) ? File.ReadAllText(path) : null;

    private static string ImagesPath(string root, string environment) =>
        Path.Combine(root, "overlays", environment, ImagesComponent.FileName.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>
    /// The publish gate: the new tree replaces the old one only if every overlay passes the
    /// admission policies the cluster will enforce.
    /// </summary>
    private static Task CheckAsync(GitOpsEnvironmentResource environment, string staging, ILogger logger)
    {
        if (environment.PoliciesPath is null)
        {
            return Task.CompletedTask;
        }

        var policies = Path.Combine(environment.RepositoryRoot, environment.PoliciesPath);
        PolicyGateResult result;
        try
        {
            result = PolicyGate.Check(policies, staging);
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
        return Task.CompletedTask;
    }
}
