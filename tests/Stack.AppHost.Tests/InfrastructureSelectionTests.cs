namespace Stack.AppHost.Tests;

/// <summary>The AppHost's own answer, as `dotnet run --project AppHost` gives it, when it cannot run.</summary>
[Collection(AppHostCollection.Name)]
public sealed class InfrastructureSelectionTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task ForcedContainerModeWithoutARuntimeStopsWithOneClearSentence()
    {
        using var path = PathWithout.ForChildProcesses("docker", "podman");
        var result = await RunAppHostAsync(new Dictionary<string, string> { ["Stack__LocalInfrastructure"] = "containers", ["PATH"] = path.Value });

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Stack:LocalInfrastructure is 'containers' but no container runtime answers: start Docker or Podman, or set Stack:LocalInfrastructure=processes", result.StandardError);
        AssertNoStackTrace(result);
    }

    [Fact]
    public async Task ForcedContainerModeStopsBeforeStartingWhenPodmanAnswersButCannotPullTheImages()
    {
        using var podman = await IsolatedPodman.CreateAsync();
        var environment = new Dictionary<string, string>(podman.Environment)
        {
            ["Stack__LocalInfrastructure"] = "containers",
            ["ASPIRE_CONTAINER_RUNTIME"] = "podman",
        };

        var result = await RunAppHostAsync(environment);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Stack:LocalInfrastructure is 'containers' but podman cannot pull docker.io/library/redis:", result.StandardError);
        Assert.Contains("or set Stack:LocalInfrastructure=processes to run Redis and PostgreSQL as local processes.", result.StandardError);
        AssertNoStackTrace(result);
    }

    [Fact]
    public async Task WithNeitherAContainerRuntimeNorPostgresTheAppHostSaysWhatToInstall()
    {
        using var path = PathWithout.ForChildProcesses("docker", "podman");
        using var emptyFolder = new TemporaryDirectory();
        var result = await RunAppHostAsync(new Dictionary<string, string> { ["Stack__PostgresBinDirectory"] = emptyFolder.Path, ["PATH"] = path.Value });

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Neither a container runtime nor local servers are available: install Docker or Podman, or put PostgreSQL's initdb and postgres into", result.StandardError);
        AssertNoStackTrace(result);
    }

    [Fact]
    public async Task WhenPodmanCannotPullAndPostgresIsMissingTheAppHostNamesBoth()
    {
        using var podman = await IsolatedPodman.CreateAsync();
        using var emptyFolder = new TemporaryDirectory();
        var environment = new Dictionary<string, string>(podman.Environment)
        {
            ["Stack__PostgresBinDirectory"] = emptyFolder.Path,
            ["ASPIRE_CONTAINER_RUNTIME"] = "podman",
        };

        var result = await RunAppHostAsync(environment);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Neither containers nor local servers can run, because podman cannot pull docker.io/library/redis:", result.StandardError);
        Assert.Contains($"or put PostgreSQL's initdb and postgres into {emptyFolder.Path}", result.StandardError);
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
