using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Leaderboard.Bench.Stack;

/// <summary>
/// The AppHost's own graph, started as a user runs it (two API replicas behind the AppHost's proxy,
/// two stats workers, Redis and PostgreSQL as local processes), in this build's configuration, with
/// its own data folder and without the dashboard.
/// </summary>
internal sealed class BenchStack : IAsyncDisposable
{
    public const string ServerKey = "bench-server-key-0123456789abcdef";
    public const string AdminKey = "bench-admin-key-0123456789abcdef";
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromMinutes(5);

    private readonly string _dataDirectory;

    private BenchStack(DistributedApplication app, string dataDirectory, Uri api, string database, string cache)
    {
        App = app;
        _dataDirectory = dataDirectory;
        Api = api;
        DatabaseConnectionString = database;
        CacheConnectionString = cache;
    }

    public DistributedApplication App { get; }

    /// <summary>The API's address behind the AppHost's proxy (both replicas).</summary>
    public Uri Api { get; }

    public string DatabaseConnectionString { get; }

    public string CacheConnectionString { get; }

    public static async Task<BenchStack> StartAsync(TextWriter log)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("leaderboard-bench-").FullName;
        string[] args =
        [
            $"--Stack:DataDirectory={dataDirectory}",
            "--Stack:LocalInfrastructure=processes",
            $"--Parameters:leaderboard-server-key={ServerKey}",
            $"--Parameters:leaderboard-admin-key={AdminKey}",
        ];

        var builder = await DistributedApplicationTestingBuilder
            .CreateAsync<Projects.AppHost>(args, (options, _) => options.DisableDashboard = true)
            .WaitAsync(StartupTimeout);
        // The resources' own output and their health checks while they start are noise here; the API's errors are not.
        // JIT-compiled methods named in perf's samples (CpuProfile): the runtime writes /tmp/perf-<pid>.map,
        // and without W^X its code lives in anonymous memory that the map describes (with W^X perf sees
        // only "memfd:doublemapper").
        foreach (var project in builder.Resources.OfType<ProjectResource>())
        {
            builder.CreateResourceBuilder(project)
                .WithEnvironment("DOTNET_PerfMapEnabled", "1")
                .WithEnvironment("DOTNET_EnableWriteXorExecute", "0");
        }

        builder.Services.AddLogging(logging => logging.AddFilter((category, level) =>
            level >= LogLevel.Error
            && category?.StartsWith("AppHost.Resources", StringComparison.Ordinal) != true
            && category?.StartsWith("Microsoft.Extensions.Diagnostics.HealthChecks", StringComparison.Ordinal) != true));
        var app = await builder.BuildAsync().WaitAsync(StartupTimeout);
        try
        {
            log.WriteLine("Starting the AppHost graph (processes: redis-server, postgres, 2 API replicas, 2 stats workers)");
            await app.StartAsync().WaitAsync(StartupTimeout);
            foreach (var resource in new[] { "cache", "leaderboard-db", "leaderboard-api", "leaderboard-stats" })
            {
                await app.ResourceNotifications.WaitForResourceHealthyAsync(resource).WaitAsync(StartupTimeout);
            }

            var api = app.GetEndpoint("leaderboard-api", "http");
            var database = await app.GetConnectionStringAsync("leaderboard-db") ?? throw new InvalidOperationException("No database connection string.");
            var cache = await app.GetConnectionStringAsync("cache") ?? throw new InvalidOperationException("No cache connection string.");
            return new BenchStack(app, dataDirectory, api, database, cache);
        }
        catch
        {
            await app.DisposeAsync();
            Directory.Delete(dataDirectory, recursive: true);
            throw;
        }
    }

    /// <summary>A client of the API through the proxy, sending <paramref name="key"/> as X-Api-Key.</summary>
    public HttpClient Client(string? key = ServerKey)
    {
        var client = new HttpClient { BaseAddress = Api, Timeout = TimeSpan.FromMinutes(10) };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", key);
        }

        return client;
    }

    /// <summary>The process ids of the API replicas, as DCP reports them (the program itself, not a `dotnet run` wrapper).</summary>
    public async Task<IReadOnlyList<int>> ApiProcessIdsAsync()
    {
        var latest = new Dictionary<string, ResourceEvent>();
        using var replay = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await foreach (var update in App.ResourceNotifications.WatchAsync(replay.Token))
            {
                latest[update.ResourceId] = update;
            }
        }
        catch (OperationCanceledException)
        {
        }

        return [.. latest.Values
            .Where(update => update.Resource.Name == "leaderboard-api")
            .Select(update => update.Snapshot.Properties.FirstOrDefault(property => property.Name.EndsWith(".pid", StringComparison.Ordinal))?.Value?.ToString())
            .Select(value => int.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var pid) ? pid : 0)
            .Where(pid => pid > 0)
            .Select(ProcessMemory.ProgramOf)];
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // PostgreSQL may still be removing its socket; the folder is under /tmp.
        }
    }
}
