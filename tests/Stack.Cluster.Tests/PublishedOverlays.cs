namespace Stack.Cluster.Tests;

/// <summary>
/// Every environment overlay of infra/deploy, synced once into the assembly's control plane (all
/// of them at once, each into its own namespace) and observed afterwards; the tests read the results.
/// </summary>
public sealed class PublishedOverlays(ControlPlane controlPlane) : IAsyncLifetime
{
    private readonly Dictionary<string, Task<OverlaySync>> _syncs = [];

    /// <summary>The environments: the folders of infra/deploy/overlays.</summary>
    public static IReadOnlyList<string> Environments { get; } =
        [.. Directory.EnumerateDirectories(Path.Combine(Repository.Deploy, "overlays")).Select(folder => Path.GetFileName(folder)).Order(StringComparer.Ordinal)];

    internal Task<OverlaySync> SyncedAsync(string environment) => _syncs[environment];

    public ValueTask InitializeAsync()
    {
        foreach (var environment in Environments)
        {
            _syncs[environment] = Task.Run(() => OverlaySync.RunAsync(controlPlane, environment));
        }

        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        // Failures belong to the tests that read them; here only make sure nothing still runs.
        await Task.WhenAll(_syncs.Values.Select(sync => sync.ContinueWith(_ => { }, TaskScheduler.Default)));
    }
}
