using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Aspire.Hosting;
using Stack.Hosting.LocalInfrastructure;

namespace Stack.Hosting.Tests;

/// <summary>Tests that change this process's environment (PATH, podman's configuration) run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessEnvironmentCollection
{
    public const string Name = "Process environment";
}

/// <summary>
/// How <c>auto</c> chooses with a real podman whose engine answers: containers only when it has the
/// pinned images (or can pull them), local processes otherwise, and it says why.
/// </summary>
[Collection(ProcessEnvironmentCollection.Name)]
public sealed class PodmanChoiceTests
{
    private static readonly TimeSpan ProbePatience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task AutoModeChoosesProcessesWhenPodmanAnswersButCannotPullThePinnedImages()
    {
        using var podman = await IsolatedPodman.CreateAsync();
        podman.ApplyToThisProcess();
        using var path = PathWithout.ForThisProcess("docker");
        var builder = DistributedApplication.CreateBuilder([$"--Stack:DataDirectory={Path.GetTempPath()}"]);

        Assert.True(builder.TryChooseLocalInfrastructure(out var infrastructure, out var problem), problem);

        Assert.Equal(LocalInfrastructureMode.Processes, infrastructure.Mode);
        Assert.StartsWith($"podman cannot pull {PinnedImageTags.Images[0]} (", infrastructure.Reason);
        Assert.Contains("127.0.0.1:1", infrastructure.Reason);
        Assert.EndsWith("PostgreSQL run as local processes.", infrastructure.Reason);
    }

    [Fact]
    public async Task AutoModeChoosesPodmanContainersWhenThePinnedImagesArePresent()
    {
        using var podman = await IsolatedPodman.CreateAsync();
        await podman.AddImagesAsync(PinnedImageTags.Images);
        podman.ApplyToThisProcess();
        using var path = PathWithout.ForThisProcess("docker");
        var builder = DistributedApplication.CreateBuilder([$"--Stack:DataDirectory={Path.GetTempPath()}"]);

        Assert.True(builder.TryChooseLocalInfrastructure(out var infrastructure, out var problem), problem);

        // No pull was needed (every pull fails here), and Aspire drives podman rather than its default, docker.
        Assert.Equal(LocalInfrastructureMode.Containers, infrastructure.Mode);
        Assert.Equal("podman answers and has the pinned images, so Redis and PostgreSQL run as containers.", infrastructure.Reason);
        Assert.Equal("podman", builder.Configuration[LocalInfrastructureBuilderExtensions.ContainerRuntimeKey]);
    }

    [Fact]
    public async Task ForcedContainerModeNamesTheImageAndTheProcessesSettingWhenPodmanCannotPull()
    {
        using var podman = await IsolatedPodman.CreateAsync();
        podman.ApplyToThisProcess();
        using var path = PathWithout.ForThisProcess("docker");
        var builder = DistributedApplication.CreateBuilder(["--Stack:LocalInfrastructure=containers"]);

        Assert.False(builder.TryChooseLocalInfrastructure(out _, out var problem));

        Assert.StartsWith($"Stack:LocalInfrastructure is 'containers' but podman cannot pull {PinnedImageTags.Images[0]} (", problem);
        Assert.EndsWith($": run 'podman pull {PinnedImageTags.Images[0]}' once its registry is reachable, or set Stack:LocalInfrastructure=processes to run Redis and PostgreSQL as local processes.", problem);
        Assert.DoesNotContain('\n', problem);
    }

    [Fact]
    public async Task APullFromARegistryThatNeverAnswersIsStoppedAtTheTimeout()
    {
        // A registry that accepts connections and then says nothing, like one behind a black-holing proxy.
        using var silentRegistry = new TcpListener(IPAddress.Loopback, 0);
        silentRegistry.Start();
        var connections = 0;
        _ = Task.Run(async () =>
        {
            // Ends when the listener is disposed; the accepted sockets stay open and silent until then.
            while (await silentRegistry.AcceptSocketAsync() is not null)
            {
                Interlocked.Increment(ref connections);
            }
        }, TestContext.Current.CancellationToken);
        using var podman = await IsolatedPodman.CreateAsync(registry: $"127.0.0.1:{((IPEndPoint)silentRegistry.LocalEndpoint).Port}");
        podman.ApplyToThisProcess();

        // The registry never answers, so a probe without a deadline of its own would never return:
        // the test waits for it patiently (a deadline for the test, not a speed limit).
        var check = await Task.Run(() => ContainerRuntimeProbe.Check("podman", PinnedImageTags.Images, pullTimeout: TimeSpan.FromSeconds(3)), TestContext.Current.CancellationToken)
            .WaitAsync(ProbePatience, TestContext.Current.CancellationToken);

        // "No answer within" is the probe's own deadline speaking: the pull was stopped, it did not fail.
        Assert.Equal($"podman cannot pull {PinnedImageTags.Images[0]} (no answer within 3 s)", check.Finding);
        Assert.False(check.CanRunContainers);
        Assert.True(Volatile.Read(ref connections) > 0, "podman never reached the silent registry");
        // Only this test's pulls: other runs on the machine may pull the same image with their own podman.
        Assert.DoesNotContain(Process.GetProcessesByName("podman"), process =>
            ProcFile(process, "cmdline").Contains($"pull {PinnedImageTags.Images[0]}", StringComparison.Ordinal)
            && podman.Environment.Values.Any(ProcFile(process, "environ").Contains));
    }

    private static string ProcFile(Process process, string name)
    {
        try
        {
            return File.ReadAllText($"/proc/{process.Id}/{name}").Replace('\0', ' ');
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return string.Empty; // it has just exited
        }
    }
}
