using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Stack.AppHost.Tests;

/// <summary>Starts the real AppHost graph for a test, isolated from a developer's own run.</summary>
internal static class StackAppHost
{
    public static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(120);

    /// <summary>Resources the README promises to bring to Healthy.</summary>
    public static readonly string[] Resources = ["cache", "postgres", "leaderboard-db", "leaderboard-api"];

    /// <summary>
    /// Builds and starts the AppHost with its own data folder (so tests never share a database
    /// with a running stack) and waits until every resource is healthy.
    /// </summary>
    public static async Task<DistributedApplication> StartAsync(string dataDirectory, string[]? extraArgs = null, bool withDashboard = false)
    {
        string[] args = [$"--Stack:DataDirectory={dataDirectory}", .. extraArgs ?? []];
        if (withDashboard)
        {
            // Tests only: the dashboard lets the browser in without the login token.
            args = [.. args, "--ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS=true"];
        }

        var builder = await DistributedApplicationTestingBuilder
            .CreateAsync<Projects.AppHost>(args, (options, _) => options.DisableDashboard = !withDashboard)
            .WaitAsync(StartupTimeout);
        builder.Services.AddLogging(logging => logging.AddFilter(level => level >= LogLevel.Warning));

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
