using Aspire.Hosting.Pipelines;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Stack.GitOps;
using Stack.Hosting.GitOps.Graph;

namespace Stack.Hosting.GitOps.Publishing;

/// <summary>
/// The pipeline step <c>aspire publish</c> runs for a GitOps environment, top to bottom: read what
/// is committed → render → write to staging → gate → swap.
/// </summary>
internal static class PublishStep
{
    public static async Task RunAsync(GitOpsEnvironmentResource environment, PipelineStepContext context)
    {
        var tree = new DeployTree(OutputFolder(environment, context.Services));

        // 1. What is committed and publish must keep: the image tags and revisions promotion owns.
        var promoted = tree.ReadPromotedFiles();

        // 2. Render: the graph in, the files out.
        var graph = await GraphReader.ReadAsync(context.Model, context.ExecutionContext, environment, context.CancellationToken);
        var files = GitOpsRenderer.Render(environment, graph, promoted);

        // 3. Write the new tree beside the committed one.
        using var staged = StagedTree.Write(tree.Root, files);

        // 4. Gate it with the admission policies the cluster enforces.
        PublishGate.Check(environment, staged.Path, context.Logger);

        // 5. Swap it in as a whole: a failure before this line leaves the old tree untouched.
        staged.SwapIn();
        context.Logger.LogInformation("Wrote {Count} files for {Environments} to {Output}", files.Files.Count, string.Join(", ", environment.Environments.Select(e => e.Name)), tree.Root);
    }

    /// <summary><c>aspire publish -o &lt;dir&gt;</c> names the folder; without it the tree goes where Argo CD reads it.</summary>
    private static string OutputFolder(GitOpsEnvironmentResource environment, IServiceProvider services) =>
        services.GetRequiredService<IConfiguration>()["Pipeline:OutputPath"] is { Length: > 0 } path
            ? Path.GetFullPath(path)
            : environment.DeployTree.Root;
}
