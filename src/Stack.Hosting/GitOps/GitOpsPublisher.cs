using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Logging;
using Stack.Hosting.GitOps.Rendering;

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
            name => File.Exists(ImagesPath(outputDirectory, name)) ? File.ReadAllText(ImagesPath(outputDirectory, name)) : null,
            cancellationToken);

        await TreeSwap.ReplaceAsync(outputDirectory, tree.WriteTo, staging => CheckAsync(environment, staging, cancellationToken));
        logger.LogInformation("Wrote {Count} files for {Environments} to {Output}", tree.Files.Count, string.Join(", ", environment.Environments.Select(e => e.Name)), outputDirectory);
    }

    private static string ImagesPath(string root, string environment) =>
        Path.Combine(root, "overlays", environment, ImagesComponent.FileName.Replace('/', Path.DirectorySeparatorChar));

    private static Task CheckAsync(GitOpsEnvironmentResource environment, string staging, CancellationToken cancellationToken)
    {
        _ = environment;
        _ = staging;
        _ = cancellationToken;
        return Task.CompletedTask;
    }
}
