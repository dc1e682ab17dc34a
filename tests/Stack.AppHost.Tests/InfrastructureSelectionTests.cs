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

        AssertStopsWithOneSentence(result, "Stack:LocalInfrastructure is 'containers' but no container runtime answers: start Docker or Podman, or set Stack:LocalInfrastructure=processes");
    }

    [Fact]
    public async Task ForcedContainerModeStopsBeforeStartingWhenPodmanAnswersButCannotPullTheImages()
    {
        var result = await RunAppHostWithPodmanThatCannotPullAsync(new Dictionary<string, string> { ["Stack__LocalInfrastructure"] = "containers" });

        AssertStopsWithOneSentence(
            result,
            "Stack:LocalInfrastructure is 'containers' but podman cannot pull docker.io/library/redis:",
            "or set Stack:LocalInfrastructure=processes to run Redis and PostgreSQL as local processes.");
    }

    [Fact]
    public async Task WithNeitherAContainerRuntimeNorPostgresTheAppHostSaysWhatToInstall()
    {
        using var path = PathWithout.ForChildProcesses("docker", "podman");
        using var emptyFolder = new TemporaryDirectory();
        var result = await RunAppHostAsync(new Dictionary<string, string> { ["Stack__PostgresBinDirectory"] = emptyFolder.Path, ["PATH"] = path.Value });

        AssertStopsWithOneSentence(result, "Neither a container runtime nor local servers are available: install Docker or Podman, or put PostgreSQL's initdb and postgres into");
    }

    [Fact]
    public async Task WhenPodmanCannotPullAndPostgresIsMissingTheAppHostNamesBoth()
    {
        using var emptyFolder = new TemporaryDirectory();
        var result = await RunAppHostWithPodmanThatCannotPullAsync(new Dictionary<string, string> { ["Stack__PostgresBinDirectory"] = emptyFolder.Path });

        AssertStopsWithOneSentence(
            result,
            "Neither containers nor local servers can run, because podman cannot pull docker.io/library/redis:",
            $"or put PostgreSQL's initdb and postgres into {emptyFolder.Path}");
    }

    [Fact]
    public async Task AnUnknownModeIsRejectedByName()
    {
        var result = await RunAppHostAsync(new Dictionary<string, string> { ["Stack__LocalInfrastructure"] = "kubernetes" });

        AssertStopsWithOneSentence(result, "Stack:LocalInfrastructure is 'kubernetes', but it must be 'auto', 'containers' or 'processes'.");
    }

    private static Task<CommandLine.Result> RunAppHostAsync(Dictionary<string, string> environment) =>
        CommandLine.RunAsync(Repository.Root, environment, Timeout, "dotnet", "run", "--project", "AppHost", "--no-build", "--configuration", BuildConfiguration.Name);

    // A real podman whose engine answers, with no image and no reachable registry (see IsolatedPodman).
    private static async Task<CommandLine.Result> RunAppHostWithPodmanThatCannotPullAsync(Dictionary<string, string> settings)
    {
        using var podman = await IsolatedPodman.CreateAsync();
        var environment = new Dictionary<string, string>(podman.Environment) { ["ASPIRE_CONTAINER_RUNTIME"] = "podman" };
        foreach (var (name, value) in settings)
        {
            environment[name] = value;
        }

        return await RunAppHostAsync(environment);
    }

    // Exit code 1 and one line on stderr holding every part: no stack trace, nothing else.
    private static void AssertStopsWithOneSentence(CommandLine.Result result, params string[] parts)
    {
        Assert.Equal(1, result.ExitCode);
        foreach (var part in parts)
        {
            Assert.Contains(part, result.StandardError);
        }

        Assert.DoesNotContain("   at ", result.AllOutput);
        Assert.DoesNotContain("Exception", result.AllOutput);
        Assert.Single(result.StandardError.Trim().Split('\n'));
    }
}
