using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Stack.Hosting.RestrictedData;

namespace Stack.AppHost.Tests;

/// <summary>The AppHost's own run path refuses a graph that reaches payments data (publish refuses it too, tested in Stack.Hosting.Tests).</summary>
[Collection(AppHostCollection.Name)]
public sealed class RestrictedDataRunTests
{
    [Fact]
    public async Task TheAppHostStopsBeforeStartingAnythingWhenTheApiReferencesPaymentsData()
    {
        var cancellation = TestContext.Current.CancellationToken;
        using var data = new TemporaryDirectory();
        var args = AppHostArguments.Isolated("processes", data.Path);
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(args, cancellation).WaitAsync(StackAppHost.StartupTimeout, cancellation);

        // The edit to Program.cs that must never run: the API references the payments database.
        var api = builder.Resources.OfType<ProjectResource>().Single(resource => resource.Name == "leaderboard-api");
        var payments = builder.Resources.OfType<ExternalDatabaseResource>().Single(resource => resource.Name == "payments-db");
        builder.CreateResourceBuilder(api).WithReference(builder.CreateResourceBuilder(payments));
        await using var app = await builder.BuildAsync(cancellation).WaitAsync(StackAppHost.StartupTimeout, cancellation);

        // The AppHost's own `builder.Build().Run()` throws, so `dotnet run` would stop with this message.
        var failure = await Record.ExceptionAsync(() => app.StartAsync(cancellation).WaitAsync(StackAppHost.StartupTimeout, cancellation));

        Assert.NotNull(failure);
        Assert.Contains(
            Causes(failure),
            cause => cause is InvalidOperationException && cause.Message.StartsWith("Resource 'leaderboard-api' references 'payments-db', which holds restricted payments data.", StringComparison.Ordinal));
        foreach (var resource in new[] { "cache", "postgres", "leaderboard-api" })
        {
            Assert.True(
                !app.ResourceNotifications.TryGetCurrentState(resource, out var state) || state.Snapshot.State?.Text is not ("Starting" or "Running"),
                $"{resource} was started: {state?.Snapshot.State?.Text}");
        }
    }

    /// <summary>The exception and every exception inside it.</summary>
    private static IEnumerable<Exception> Causes(Exception exception) =>
        exception is AggregateException aggregate
            ? [exception, .. aggregate.InnerExceptions.SelectMany(Causes)]
            : exception.InnerException is { } inner ? [exception, .. Causes(inner)] : [exception];
}
