using Aspire.Hosting;
using System.Net.Http.Json;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Stack.AppHost.Tests;

/// <summary>Starts the real AppHost graph for a test, isolated from a developer's own run.</summary>
internal static class StackAppHost
{
    public static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(120);

    /// <summary>API keys the tests give the AppHost's secret parameters, as a deployment would.</summary>
    public const string ServerKey = "apphost-test-server-key-0123456789";
    public const string AdminKey = "apphost-test-admin-key-0123456789";

    /// <summary>Resources the README promises to bring to Healthy.</summary>
    public static readonly string[] Resources = ["cache", "postgres", "leaderboard-db", "leaderboard-api", "leaderboard-stats"];

    /// <summary>
    /// Builds and starts the AppHost with its own data folder (so tests never share a database
    /// with a running stack) and waits until every resource is healthy.
    /// </summary>
    /// <summary>A client of the API through the AppHost's endpoint, sending <paramref name="key"/> as X-Api-Key.</summary>
    public static HttpClient ApiClient(DistributedApplication app, string? key = null)
    {
        var client = app.CreateHttpClient("leaderboard-api", "http");
        if (key is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", key);
        }

        return client;
    }

    /// <summary>Creates a board with the admin key and returns its id.</summary>
    public static async Task<string> CreateBoardAsync(DistributedApplication app, string prefix)
    {
        var boardId = $"{prefix}-{Guid.NewGuid():N}";
        using var admin = ApiClient(app, AdminKey);
        var response = await admin.PutAsync($"/api/leaderboards/{boardId}", JsonContent.Create(new { }), TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return boardId;
    }

    public static async Task<DistributedApplication> StartAsync(string dataDirectory, string[]? extraArgs = null, bool withDashboard = false, Action<IDistributedApplicationTestingBuilder>? configure = null)
    {
        string[] args =
        [
            $"--Stack:DataDirectory={dataDirectory}",
            $"--Parameters:leaderboard-server-key={ServerKey}",
            $"--Parameters:leaderboard-admin-key={AdminKey}",
            .. extraArgs ?? [],
        ];
        if (withDashboard)
        {
            // Tests only: the dashboard lets the browser in without the login token.
            args = [.. args, "--ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS=true"];
        }

        var builder = await DistributedApplicationTestingBuilder
            .CreateAsync<Projects.AppHost>(args, (options, _) => options.DisableDashboard = !withDashboard)
            .WaitAsync(StartupTimeout);
        builder.Services.AddLogging(logging => logging.AddFilter(level => level >= LogLevel.Warning));
        configure?.Invoke(builder);

        var app = await builder.BuildAsync().WaitAsync(StartupTimeout);
        try
        {
            await app.StartAsync().WaitAsync(StartupTimeout);
            foreach (var resource in Resources)
            {
                await app.ResourceNotifications.WaitForResourceHealthyAsync(resource).WaitAsync(StartupTimeout);
            }

            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }
}
