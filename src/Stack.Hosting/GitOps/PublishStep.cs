using Aspire.Hosting.Pipelines;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Stack.Hosting.GitOps;

/// <summary>The pipeline step <c>aspire publish</c> runs for a GitOps environment.</summary>
internal static class PublishStep
{
    public static async Task RunAsync(GitOpsEnvironmentResource environment, PipelineStepContext context)
    {
        // `aspire publish -o <dir>` names the folder; without it the tree goes where Argo CD reads it.
        var output = context.Services.GetRequiredService<IConfiguration>()["Pipeline:OutputPath"] is { Length: > 0 } path
            ? Path.GetFullPath(path)
            : Path.Combine(environment.RepositoryRoot, environment.RepositoryPath);

        await GitOpsPublisher.PublishAsync(environment, context.Model, context.ExecutionContext, output, context.Logger, context.CancellationToken);
    }
}
