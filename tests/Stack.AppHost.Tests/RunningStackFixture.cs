using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace Stack.AppHost.Tests;

/// <summary>
/// One whole stack, in the mode <c>auto</c> picks on this machine, with the dashboard on, and a recap
/// model configured (<see cref="RecapModelServer"/>) whose rounds come every second.
/// </summary>
public sealed class RunningStackFixture : IAsyncLifetime
{
    private readonly TemporaryDirectory _data = new();

    public DistributedApplication App { get; private set; } = null!;

    public RecapModelServer RecapModel { get; } = new();

    public async ValueTask InitializeAsync() =>
        App = await StackAppHost.StartAsync(
            _data.Path,
            [$"--ConnectionStrings:recap-model={RecapModel.ConnectionString}"],
            withDashboard: true,
            configure: builder =>
            {
                var stats = builder.CreateResourceBuilder(builder.Resources.OfType<ProjectResource>().Single(resource => resource.Name == "leaderboard-stats"));
                stats.WithEnvironment("Recaps__Interval", "00:00:01").WithEnvironment("Recaps__MinimumInterval", "00:00:02");
            });

    public async ValueTask DisposeAsync()
    {
        try
        {
            // Null when the stack never started (StartAsync has disposed what it had started).
            if (App is not null)
            {
                await App.DisposeAsync();
            }
        }
        finally
        {
            await RecapModel.DisposeAsync();
            _data.Dispose();
        }
    }
}
