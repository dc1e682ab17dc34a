using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;

namespace Stack.AppHost.Tests;

/// <summary>What a person does with a resource in the dashboard: run its command, read its logs, see its state.</summary>
internal static class ResourceCommands
{
    public static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(3);

    /// <summary>Runs <paramref name="command"/> of <paramref name="resourceName"/>, as its dashboard button does.</summary>
    public static async Task<ExecuteCommandResult> ExecuteAsync(DistributedApplication app, string resourceName, string command)
    {
        var resource = app.Services.GetRequiredService<DistributedApplicationModel>().Resources.Single(r => r.Name == resourceName);
        return await app.Services.GetRequiredService<ResourceCommandService>()
            .ExecuteCommandAsync(resource, command, TestContext.Current.CancellationToken)
            .WaitAsync(CommandTimeout, TestContext.Current.CancellationToken);
    }

    /// <summary>Every log line of <paramref name="resourceName"/> so far.</summary>
    public static async Task<List<string>> LogsAsync(DistributedApplication app, string resourceName)
    {
        var lines = new List<string>();
        await foreach (var batch in app.Services.GetRequiredService<ResourceLoggerService>().GetAllAsync(resourceName).WithCancellation(TestContext.Current.CancellationToken))
        {
            lines.AddRange(batch.Select(l => l.Content));
        }

        return lines;
    }

    /// <summary>The state the dashboard shows for <paramref name="resourceName"/>.</summary>
    public static string? StateOf(DistributedApplication app, string resourceName)
    {
        Assert.True(app.ResourceNotifications.TryGetCurrentState(resourceName, out var resource), $"{resourceName} has no state");
        return resource.Snapshot.State?.Text;
    }

    /// <summary>Waits until the dashboard shows <paramref name="state"/> for <paramref name="resourceName"/>.</summary>
    public static Task WaitForStateAsync(DistributedApplication app, string resourceName, string state) =>
        app.ResourceNotifications.WaitForResourceAsync(resourceName, state, TestContext.Current.CancellationToken)
            .WaitAsync(CommandTimeout, TestContext.Current.CancellationToken);
}
