using Aspire.Hosting.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Leaderboard.Api.Tests;

/// <summary>
/// Real Redis and real PostgreSQL, started as local processes by the same Stack.Hosting code
/// the AppHost uses, and the API in memory pointed at them. One per test class.
/// </summary>
public sealed class DataStoresFixture : IAsyncLifetime
{
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(90);
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "stack-tests", Guid.NewGuid().ToString("N")[..12]);
    private DistributedApplication? _dataStores;

    public WebApplicationFactory<Program> Api { get; private set; } = null!;

    public string CacheConnectionString { get; private set; } = null!;

    public string DatabaseConnectionString { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var builder = DistributedApplicationTestingBuilder.Create(
            "--Stack:LocalInfrastructure=processes", $"--Stack:DataDirectory={_dataDirectory}");
        builder.Services.AddLogging(logging => logging.AddFilter(level => level >= LogLevel.Warning));

        if (!builder.TryChooseLocalInfrastructure(out var infrastructure, out var problem))
        {
            throw new InvalidOperationException(problem);
        }

        var cache = infrastructure.AddRedis("cache");
        var database = infrastructure.AddPostgres("postgres").AddDatabase("leaderboard-db");

        _dataStores = await builder.BuildAsync().WaitAsync(StartupTimeout);
        await _dataStores.StartAsync().WaitAsync(StartupTimeout);
        await _dataStores.ResourceNotifications.WaitForResourceHealthyAsync("cache").WaitAsync(StartupTimeout);
        await _dataStores.ResourceNotifications.WaitForResourceHealthyAsync("leaderboard-db").WaitAsync(StartupTimeout);

        CacheConnectionString = (await cache.Resource.ConnectionStringExpression.GetValueAsync(CancellationToken.None))!;
        DatabaseConnectionString = (await database.Resource.ConnectionStringExpression.GetValueAsync(CancellationToken.None))!;

        Api = new WebApplicationFactory<Program>().WithWebHostBuilder(web => web
            .UseEnvironment("Testing")
            .UseSetting("ConnectionStrings:cache", CacheConnectionString)
            .UseSetting("ConnectionStrings:leaderboard-db", DatabaseConnectionString));
    }

    public async ValueTask DisposeAsync()
    {
        if (Api is not null)
        {
            await Api.DisposeAsync();
        }

        if (_dataStores is not null)
        {
            await _dataStores.DisposeAsync();
        }

        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
