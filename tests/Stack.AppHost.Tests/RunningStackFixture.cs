using Aspire.Hosting;

namespace Stack.AppHost.Tests;

/// <summary>One whole stack, in the mode <c>auto</c> picks on this machine, with the dashboard on.</summary>
public sealed class RunningStackFixture : IAsyncLifetime
{
    private readonly TemporaryDirectory _data = new();

    public DistributedApplication App { get; private set; } = null!;

    public async ValueTask InitializeAsync() =>
        App = await StackAppHost.StartAsync(_data.Path, withDashboard: true);

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
            _data.Dispose();
        }
    }
}
