using Aspire.Hosting.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using StackExchange.Redis;

namespace Leaderboard.Api.Tests;

/// <summary>
/// Real Redis and real PostgreSQL, started as local processes by the same Stack.Hosting code
/// the AppHost uses, and the API in memory pointed at them, on a clock the tests can move.
/// One per test class.
/// </summary>
public class DataStoresFixture : IAsyncLifetime
{
    public const string ServerKey = "test-server-key-0123456789";
    public const string AdminKey = "test-admin-key-0123456789";
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(90);
    private readonly TemporaryDirectory _dataDirectory = new();

    public DistributedApplication DataStores { get; private set; } = null!;

    public WebApplicationFactory<Program> Api { get; private set; } = null!;

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));

    public string CacheConnectionString { get; private set; } = null!;

    public string DatabaseConnectionString { get; private set; } = null!;

    /// <summary>What <see cref="Api"/> logged, as far as <see cref="CapturedLogs"/> lets through.</summary>
    public LogCapture Logs { get; } = new();

    /// <summary>Requests per second for every role (anonymous, server, admin); classes testing the limit lower it.</summary>
    protected virtual int RequestsPerSecond => 100_000;

    /// <summary>
    /// The categories (a prefix; null for all) and lowest level <see cref="Logs"/> captures: the
    /// service's own entries by default; classes that judge every log line widen it.
    /// </summary>
    protected virtual (string? Category, LogLevel Level) CapturedLogs => ("Leaderboard.Api", LogLevel.Debug);

    public virtual async ValueTask InitializeAsync()
    {
        var builder = DistributedApplicationTestingBuilder.Create(
            "--Stack:LocalInfrastructure=processes", $"--Stack:DataDirectory={_dataDirectory.Path}");
        builder.Services.AddLogging(logging => logging.AddFilter(level => level >= LogLevel.Warning));

        if (!builder.TryChooseLocalInfrastructure(out var infrastructure, out var problem))
        {
            throw new InvalidOperationException(problem);
        }

        var cache = infrastructure.AddRedis("cache");
        var database = infrastructure.AddPostgres("postgres").AddDatabase("leaderboard-db");

        DataStores = await builder.BuildAsync().WaitAsync(StartupTimeout);
        await DataStores.StartAsync().WaitAsync(StartupTimeout);
        await DataStores.ResourceNotifications.WaitForResourceHealthyAsync("cache").WaitAsync(StartupTimeout);
        await DataStores.ResourceNotifications.WaitForResourceHealthyAsync("leaderboard-db").WaitAsync(StartupTimeout);

        CacheConnectionString = (await cache.Resource.ConnectionStringExpression.GetValueAsync(CancellationToken.None))!;
        DatabaseConnectionString = (await database.Resource.ConnectionStringExpression.GetValueAsync(CancellationToken.None))!;

        Api = CreateApi(Logs);
    }

    /// <summary>
    /// Another instance of the API on the same Redis, PostgreSQL and clock, as a second replica
    /// is; it logs into <paramref name="logs"/>. The caller disposes it.
    /// </summary>
    public WebApplicationFactory<Program> CreateReplica(LogCapture logs) => CreateApi(logs);

    private WebApplicationFactory<Program> CreateApi(LogCapture logs) => new WebApplicationFactory<Program>().WithWebHostBuilder(web => web
        .UseEnvironment("Testing")
        .ConfigureLogging(logging =>
        {
            logging.AddFilter(level => level >= LogLevel.Warning);

            // Rules for the capture alone: nothing, then what this fixture captures.
            logging.AddProvider(logs);
            logging.AddFilter<LogCapture>(null, LogLevel.None);
            logging.AddFilter<LogCapture>(CapturedLogs.Category, CapturedLogs.Level);
        })
        .UseSetting("ConnectionStrings:cache", CacheConnectionString)
        .UseSetting("ConnectionStrings:leaderboard-db", DatabaseConnectionString)
        .UseSetting("Leaderboard:ServerKey", ServerKey)
        .UseSetting("Leaderboard:AdminKey", AdminKey)
        .UseSetting("Leaderboard:RateLimits:Anonymous", RequestsPerSecond.ToString(System.Globalization.CultureInfo.InvariantCulture))
        .UseSetting("Leaderboard:RateLimits:Server", RequestsPerSecond.ToString(System.Globalization.CultureInfo.InvariantCulture))
        .UseSetting("Leaderboard:RateLimits:Admin", RequestsPerSecond.ToString(System.Globalization.CultureInfo.InvariantCulture))
        .ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock)));

    /// <summary>A client that sends <paramref name="key"/> as X-Api-Key (none when null).</summary>
    public HttpClient Client(string? key = null)
    {
        var client = Api.CreateClient();
        if (key is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", key);
        }

        return client;
    }

    /// <summary>The player's score as PostgreSQL holds it (the durable record, not the API's view of it); null when there is none.</summary>
    public async Task<long?> StoredScoreAsync(string boardId, string playerId)
    {
        // Through the API's own pool: a connection of its own could find PostgreSQL full after a concurrent test.
        await using var command = Api.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand("SELECT score FROM scores WHERE board_id = $1 AND player_id = $2");
        command.Parameters.AddWithValue(boardId);
        command.Parameters.AddWithValue(playerId);
        return await command.ExecuteScalarAsync(TestContext.Current.CancellationToken) as long?;
    }

    /// <summary>Every log line of data store <paramref name="resourceName"/> so far: the AppHost's lines about it and the server's own output.</summary>
    public async Task<List<string>> ResourceLogAsync(string resourceName)
    {
        var resource = DataStores.Services.GetRequiredService<DistributedApplicationModel>().Resources.Single(resource => resource.Name == resourceName);
        var lines = new List<string>();
        await foreach (var batch in DataStores.Services.GetRequiredService<ResourceLoggerService>().GetAllAsync(resource).WithCancellation(TestContext.Current.CancellationToken))
        {
            lines.AddRange(batch.Select(line => line.Content));
        }

        return lines;
    }

    /// <summary>A direct connection to the test Redis, for flushing it under the API.</summary>
    public Task<ConnectionMultiplexer> ConnectRedisAsync() =>
        ConnectionMultiplexer.ConnectAsync(CacheConnectionString + ",allowAdmin=true");

    public virtual async ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        try
        {
            if (Api is not null)
            {
                await Api.DisposeAsync();
            }

            // Stops the servers (through DCP) before their data folder is deleted.
            if (DataStores is not null)
            {
                await DataStores.DisposeAsync();
            }
        }
        finally
        {
            _dataDirectory.Dispose();
        }
    }
}
