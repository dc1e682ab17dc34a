using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Stack.Hosting.LocalInfrastructure;
using Stack.Hosting.LocalInfrastructure.Postgres;
using Stack.Hosting.LocalInfrastructure.Redis;

namespace Stack.Hosting.Tests;

/// <summary>How the AppHost chooses containers or processes, checked on graphs that are built but not run.</summary>
public sealed class LocalInfrastructureChoiceTests
{
    [Fact]
    public void PublishModeAlwaysRendersContainersWithPinnedImageTags()
    {
        var builder = DistributedApplication.CreateBuilder(["--operation", "publish", "--Stack:LocalInfrastructure=processes"]);

        Assert.True(builder.TryChooseLocalInfrastructure(out var infrastructure, out _));
        Assert.Equal(LocalInfrastructureMode.Containers, infrastructure.Mode);

        var cache = infrastructure.AddRedis("cache").Resource;
        var postgres = infrastructure.AddPostgres("postgres").Server.Resource;
        foreach (var resource in new[] { cache, postgres })
        {
            Assert.True(resource.TryGetLastAnnotation<ContainerImageAnnotation>(out var image), $"{resource.Name} has no image");
            Assert.Matches(@"^\d+\.\d+(\.\d+)?$", image.Tag);
        }
    }

    [Fact]
    public void ProcessModeUsesLocalProcessesInRunMode()
    {
        var builder = DistributedApplication.CreateBuilder(["--Stack:LocalInfrastructure=processes", $"--Stack:DataDirectory={Path.GetTempPath()}"]);

        Assert.True(builder.TryChooseLocalInfrastructure(out var infrastructure, out var problem), problem);
        Assert.Equal(LocalInfrastructureMode.Processes, infrastructure.Mode);
        Assert.IsType<RedisProcessResource>(infrastructure.AddRedis("cache").Resource);
        Assert.IsType<PostgresProcessResource>(infrastructure.AddPostgres("postgres").Server.Resource);
    }

    [Fact]
    public void AutoModePicksContainersExactlyWhenARuntimeHasOrCanPullThePinnedImages()
    {
        var builder = DistributedApplication.CreateBuilder([$"--Stack:DataDirectory={Path.GetTempPath()}"]);

        Assert.True(builder.TryChooseLocalInfrastructure(out var infrastructure, out var problem), problem);

        var containers = ContainerRuntimeProbe.Check(preferred: null, PinnedImageTags.Images, TimeSpan.FromMinutes(3));
        Assert.Equal(containers.CanRunContainers ? LocalInfrastructureMode.Containers : LocalInfrastructureMode.Processes, infrastructure.Mode);
        Assert.StartsWith(containers.Finding, infrastructure.Reason);
    }

    [Fact]
    public void TheProbedImagesAreTheImagesTheContainerResourcesRun()
    {
        var builder = DistributedApplication.CreateBuilder(["--operation", "publish"]);
        Assert.True(builder.TryChooseLocalInfrastructure(out var infrastructure, out _));

        var images = new IResource[] { infrastructure.AddRedis("cache").Resource, infrastructure.AddPostgres("postgres").Server.Resource, infrastructure.AddPrometheus("prometheus")!.Resource }
            .Select(resource => Assert.Single(resource.Annotations.OfType<ContainerImageAnnotation>()))
            .Select(image => $"{image.Registry}/{image.Image}:{image.Tag}");

        Assert.Equal(PinnedImageTags.Images, images);
    }

    [Theory]
    [InlineData("kubernetes")]
    [InlineData("1")]
    [InlineData("container")]
    public void AnUnknownModeIsAProblemThatNamesTheValidOnes(string setting)
    {
        var builder = DistributedApplication.CreateBuilder([$"--Stack:LocalInfrastructure={setting}"]);

        Assert.False(builder.TryChooseLocalInfrastructure(out _, out var problem));
        Assert.Equal($"Stack:LocalInfrastructure is '{setting}', but it must be 'auto', 'containers' or 'processes'.", problem);
    }

    [Theory]
    [InlineData("Processes")]
    [InlineData("AUTO")]
    public void ModeNamesIgnoreCase(string setting)
    {
        var builder = DistributedApplication.CreateBuilder([$"--Stack:LocalInfrastructure={setting}", $"--Stack:DataDirectory={Path.GetTempPath()}"]);

        Assert.True(builder.TryChooseLocalInfrastructure(out _, out var problem), problem);
    }

    [Fact]
    public void ProcessPostgresHasTheConnectionStringShapeOfTheContainer()
    {
        var container = DistributedApplication.CreateBuilder(["--operation", "publish"]);
        Assert.True(container.TryChooseLocalInfrastructure(out var containers, out _));
        var process = DistributedApplication.CreateBuilder(["--Stack:LocalInfrastructure=processes", $"--Stack:DataDirectory={Path.GetTempPath()}"]);
        Assert.True(process.TryChooseLocalInfrastructure(out var processes, out var problem), problem);

        var containerServer = containers.AddPostgres("postgres");
        var processServer = processes.AddPostgres("postgres");

        Assert.Equal(containerServer.Server.Resource.ConnectionStringExpression.ValueExpression, processServer.Server.Resource.ConnectionStringExpression.ValueExpression);
        Assert.Equal(
            containerServer.AddDatabase("leaderboard-db").Resource.ConnectionStringExpression.ValueExpression,
            processServer.AddDatabase("leaderboard-db").Resource.ConnectionStringExpression.ValueExpression);
    }

    [Fact]
    public void ProcessRedisHasTheConnectionStringShapeOfTheContainer()
    {
        var container = DistributedApplication.CreateBuilder(["--operation", "publish"]);
        Assert.True(container.TryChooseLocalInfrastructure(out var containers, out _));
        var process = DistributedApplication.CreateBuilder(["--Stack:LocalInfrastructure=processes", $"--Stack:DataDirectory={Path.GetTempPath()}"]);
        Assert.True(process.TryChooseLocalInfrastructure(out var processes, out var problem), problem);

        var containerShape = containers.AddRedis("cache").Resource.ConnectionStringExpression.ValueExpression;
        var processShape = processes.AddRedis("cache").Resource.ConnectionStringExpression.ValueExpression;

        // The container adds a TLS switch that is empty unless TLS is configured; the rest is identical.
        Assert.Equal("{cache.bindings.tcp.host}:{cache.bindings.tcp.port},password={cache-password.value}", processShape);
        Assert.StartsWith(processShape, containerShape);
    }
}
