using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Pipelines;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Stack.Hosting.Tests.GitOps;

/// <summary>Builds a small graph in publish mode and runs `aspire publish`'s pipeline on it, in process (no DCP, no containers).</summary>
internal static class PublishedGraph
{
    /// <summary>The repository's root folder (the one holding Stack.sln).</summary>
    public static string RepositoryRoot => RepositoryCheckout.Root;

    /// <summary>The repository's Leaderboard.Api project, a real project for graphs to reference.</summary>
    public static string LeaderboardApiProject { get; } = Path.Combine(RepositoryRoot, "src", "Leaderboard.Api", "Leaderboard.Api.csproj");

    /// <summary>
    /// Publishes the graph <paramref name="declare"/> builds into <paramref name="output"/>. A failing
    /// step throws, as it makes `aspire publish` exit non-zero.
    /// </summary>
    public static async Task PublishAsync(string output, Action<IDistributedApplicationBuilder> declare, params string[] args)
    {
        var builder = DistributedApplication.CreateBuilder(["--operation", "publish", "--step", "publish", "--output-path", output, .. args]);
        declare(builder);
        using var app = builder.Build();

        var context = new PipelineContext(
            app.Services.GetRequiredService<DistributedApplicationModel>(),
            app.Services.GetRequiredService<DistributedApplicationExecutionContext>(),
            app.Services,
            NullLogger.Instance,
            TestContext.Current.CancellationToken);
        await app.Services.GetRequiredService<IDistributedApplicationPipeline>().ExecuteAsync(context).WaitAsync(TimeSpan.FromMinutes(2), TestContext.Current.CancellationToken);
    }

    /// <summary>
    /// Publishes and returns the message of the failure, which must happen: the message of the
    /// exception the failing step threw, without the pipeline's "Step '...' failed:" around it.
    /// </summary>
    public static async Task<string> PublishFailureAsync(string output, Action<IDistributedApplicationBuilder> declare, params string[] args)
    {
        Exception failure = await Assert.ThrowsAnyAsync<Exception>(() => PublishAsync(output, declare, args));
        while (failure.InnerException is { } inner)
        {
            failure = inner;
        }

        return failure.Message;
    }
}
