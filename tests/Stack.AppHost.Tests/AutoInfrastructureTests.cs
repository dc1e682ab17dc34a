using Aspire.Hosting.Testing;
using Stack.Hosting.LocalInfrastructure.Postgres;
using Stack.Hosting.LocalInfrastructure.Redis;

namespace Stack.AppHost.Tests;

/// <summary>What <c>auto</c> chooses, read from the AppHost's graph as it is built (nothing is started).</summary>
[Collection(AppHostCollection.Name)]
public sealed class AutoInfrastructureTests
{
    [Fact]
    public async Task AutoModeRunsRedisAndPostgresAsLocalProcessesWhenNoContainerRuntimeIsInstalled()
    {
        using var data = new TemporaryDirectory();
        var args = AppHostArguments.Isolated("auto", data.Path);

        // The AppHost chooses while its graph is built; neither Docker nor Podman is on PATH then.
        IDistributedApplicationTestingBuilder builder;
        using (PathWithout.ForThisProcess("docker", "podman"))
        {
            builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(args, TestContext.Current.CancellationToken).WaitAsync(StackAppHost.StartupTimeout, TestContext.Current.CancellationToken);
        }

        await using (builder)
        {
            Assert.IsType<RedisProcessResource>(builder.Resources.Single(resource => resource.Name == "cache"));
            Assert.IsType<PostgresProcessResource>(builder.Resources.Single(resource => resource.Name == "postgres"));
        }
    }
}
