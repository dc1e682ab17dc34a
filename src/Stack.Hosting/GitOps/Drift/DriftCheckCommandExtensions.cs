using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Stack.Hosting.Dashboard;
using Stack.Hosting.GitOps;
using Stack.Hosting.GitOps.Drift;

namespace Aspire.Hosting;

/// <summary>The dashboard side of a GitOps environment: its state and the "Check infra/deploy" command.</summary>
public static class DriftCheckCommandExtensions
{
    /// <summary>Name of the command, for <c>ResourceCommandService</c>.</summary>
    public const string CommandName = "check-drift";

    /// <summary>State shown when the committed tree matches a fresh render.</summary>
    public const string UpToDateState = "Up to date";

    /// <summary>State shown when a fresh render differs from the committed tree.</summary>
    public const string DriftedState = "Drifted";

    private const string DifferencesProperty = "gitops.differences";

    /// <summary>State shown when the graph cannot be published.</summary>
    public const string FailedState = "Publish fails";

    internal static IResourceBuilder<GitOpsEnvironmentResource> WithDriftCheckCommand(this IResourceBuilder<GitOpsEnvironmentResource> builder)
    {
        var resource = builder.Resource;
        var appHost = builder.ApplicationBuilder.AppHostAssembly?.Location
            ?? throw new InvalidOperationException("The AppHost assembly is unknown, so the drift check cannot render it.");
        var appHostDirectory = builder.ApplicationBuilder.AppHostDirectory;

        return builder
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "GitOps",
                State = new ResourceStateSnapshot("Not checked", KnownResourceStateStyles.Info),
                Properties = [new("gitops.path", resource.RepositoryPath)],
            })
            .WithCommand(
                CommandName,
                $"Check {resource.RepositoryPath}",
                context => CheckAsync(resource, appHost, appHostDirectory, context),
                new CommandOptions
                {
                    Description = $"Render the graph as `aspire publish` would and compare it with the committed {resource.RepositoryPath}.",
                    IconName = "BranchCompare",
                    IsHighlighted = true,
                });
    }

    private static async Task<ExecuteCommandResult> CheckAsync(GitOpsEnvironmentResource resource, string appHost, string appHostDirectory, ExecuteCommandContext context)
    {
        var notifications = context.Services.GetRequiredService<ResourceNotificationService>();
        var logger = context.Services.GetRequiredService<ResourceLoggerService>().GetLogger(resource);
        var committed = resource.DeployTree;

        await notifications.PublishCheckStateAsync(resource, "Checking", KnownResourceStateStyles.Info, DifferencesProperty, null);
        logger.LogInformation("Rendering the graph and comparing it with {Committed}", committed.Root);

        var (difference, error) = await DriftCheck.RunAsync(appHost, appHostDirectory, committed, context.CancellationToken);
        if (error is not null)
        {
            logger.LogError("{Error}", error);
            await notifications.PublishCheckStateAsync(resource, FailedState, KnownResourceStateStyles.Error, DifferencesProperty, null);
            return CommandResults.Failure(error);
        }

        foreach (var line in difference!.Describe())
        {
            logger.LogWarning("{Difference}", line);
        }

        var count = difference.Added.Count + difference.Removed.Count + difference.Changed.Count;
        if (difference.IsEmpty)
        {
            logger.LogInformation("{Committed} is up to date", committed.Root);
            await notifications.PublishCheckStateAsync(resource, UpToDateState, KnownResourceStateStyles.Success, DifferencesProperty, count);
            return CommandResults.Success();
        }

        var message = $"{count} file(s) differ from a fresh render; run `dotnet aspire publish` and commit {resource.RepositoryPath}.";
        logger.LogWarning("{Message}", message);
        await notifications.PublishCheckStateAsync(resource, DriftedState, KnownResourceStateStyles.Warn, DifferencesProperty, count);
        return CommandResults.Failure(message);
    }
}
