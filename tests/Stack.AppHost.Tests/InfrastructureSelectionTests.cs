namespace Stack.AppHost.Tests;

/// <summary>The AppHost's own answer, as `dotnet run --project AppHost` gives it, when it cannot run.</summary>
[Collection(AppHostCollection.Name)]
public sealed class InfrastructureSelectionTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task ForcedContainerModeWithoutARuntimeStopsWithOneClearSentence()
    {
        if (Stack.Hosting.LocalInfrastructure.ContainerRuntimeProbe.FindHealthyRuntime() is not null)
        {
            Assert.Skip("A container runtime answers on this machine, so containers mode can run.");
        }

        var result = await RunAppHostAsync(new Dictionary<string, string> { ["Stack__LocalInfrastructure"] = "containers" });

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Stack:LocalInfrastructure is 'containers' but no container runtime answers: start Docker or Podman", result.StandardError);
        AssertNoStackTrace(result);
    }

    [Fact]
    public async Task WithNeitherAContainerRuntimeNorPostgresTheAppHostSaysWhatToInstall()
    {
        if (Stack.Hosting.LocalInfrastructure.ContainerRuntimeProbe.FindHealthyRuntime() is not null)
        {
            Assert.Skip("A container runtime answers on this machine, so auto mode would use it.");
        }

        using var emptyFolder = new TemporaryDirectory();
        var result = await RunAppHostAsync(new Dictionary<string, string> { ["Stack__PostgresBinDirectory"] = emptyFolder.Path });

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Neither a container runtime nor local servers are available: install Docker or Podman, or put PostgreSQL's initdb and postgres into", result.StandardError);
        AssertNoStackTrace(result);
    }

    [Fact]
    public async Task AnUnknownModeIsRejectedByName()
    {
        var result = await RunAppHostAsync(new Dictionary<string, string> { ["Stack__LocalInfrastructure"] = "kubernetes" });

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Stack:LocalInfrastructure is 'kubernetes', but it must be 'auto', 'containers' or 'processes'.", result.StandardError);
        AssertNoStackTrace(result);
    }

    private static Task<CommandLine.Result> RunAppHostAsync(Dictionary<string, string> environment) =>
        CommandLine.RunAsync(Repository.Root, environment, Timeout, "dotnet", "run", "--project", "AppHost", "--no-build", "--configuration", BuildConfiguration.Name);

    private static void AssertNoStackTrace(CommandLine.Result result)
    {
        Assert.DoesNotContain("   at ", result.AllOutput);
        Assert.DoesNotContain("Exception", result.AllOutput);
        Assert.Single(result.StandardError.Trim().Split('\n'));
    }
}
