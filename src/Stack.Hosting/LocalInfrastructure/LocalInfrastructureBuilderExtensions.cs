using System.Diagnostics.CodeAnalysis;
using Stack.Hosting.LocalInfrastructure;

namespace Aspire.Hosting;

/// <summary>Chooses, once per run, whether Redis and PostgreSQL run as containers or local processes.</summary>
public static class LocalInfrastructureBuilderExtensions
{
    /// <summary>Configuration key (env var <c>Stack__LocalInfrastructure</c>): <c>auto</c>, <c>containers</c> or <c>processes</c>.</summary>
    public const string ModeKey = "Stack:LocalInfrastructure";

    /// <summary>Configuration key for the process-mode data folder; defaults to <c>.local</c> beside the AppHost project.</summary>
    public const string DataDirectoryKey = "Stack:DataDirectory";

    /// <summary>Configuration key naming the folder of <c>initdb</c> and <c>postgres</c>, for installs off PATH (Homebrew, custom builds).</summary>
    public const string PostgresBinDirectoryKey = "Stack:PostgresBinDirectory";

    /// <summary>Aspire's own setting (<c>docker</c> or <c>podman</c>): the runtime DCP drives; set to the one chosen here.</summary>
    public const string ContainerRuntimeKey = "ASPIRE_CONTAINER_RUNTIME";

    // Long enough for the pinned images on an ordinary connection; bounded so that a registry that
    // never answers makes `auto` fall back to processes instead of hanging the start.
    private static readonly TimeSpan ImagePullTimeout = TimeSpan.FromMinutes(3);

    /// <summary>
    /// Picks the infrastructure for this run. Publish mode always uses containers (they become
    /// Kubernetes workloads). In run mode, <c>auto</c> takes containers when Docker or Podman
    /// answers and has the pinned images (or pulls them now), and local processes otherwise; the
    /// setting <see cref="ModeKey"/> forces either. When containers are chosen, Aspire is pointed at
    /// that runtime through <see cref="ContainerRuntimeKey"/>.
    /// </summary>
    /// <param name="builder">The distributed application builder.</param>
    /// <param name="infrastructure">The choice, when one is possible.</param>
    /// <param name="problem">Otherwise one sentence that says what to install or change.</param>
    public static bool TryChooseLocalInfrastructure(
        this IDistributedApplicationBuilder builder,
        [NotNullWhen(true)] out LocalInfrastructureChoice? infrastructure,
        [NotNullWhen(false)] out string? problem)
    {
        ArgumentNullException.ThrowIfNull(builder);

        infrastructure = null;
        problem = null;

        if (builder.ExecutionContext.IsPublishMode)
        {
            infrastructure = new LocalInfrastructureChoice(builder, LocalInfrastructureMode.Containers, "publish mode always renders container resources.", programs: null);
            return true;
        }

        var setting = builder.Configuration[ModeKey];
        if (!TryParseMode(setting, out var mode))
        {
            problem = $"{ModeKey} is '{setting}', but it must be 'auto', 'containers' or 'processes'.";
            return false;
        }

        var containers = mode == LocalInfrastructureMode.Processes
            ? null
            : ContainerRuntimeProbe.Check(builder.Configuration[ContainerRuntimeKey], PinnedImageTags.Images, ImagePullTimeout, Console.Out);

        if (containers is { CanRunContainers: true, Runtime: { } runtime })
        {
            // DCP drives docker unless told otherwise: make it use the runtime that was just checked.
            builder.Configuration[ContainerRuntimeKey] = runtime;
            infrastructure = new LocalInfrastructureChoice(builder, LocalInfrastructureMode.Containers, $"{containers.Finding}, so Redis and PostgreSQL run as containers.", programs: null);
            return true;
        }

        if (mode == LocalInfrastructureMode.Containers)
        {
            var remedy = containers!.Runtime is null ? "start Docker or Podman" : $"run '{containers.Runtime} pull {containers.UnavailableImage}' once its registry is reachable";
            problem = $"{ModeKey} is 'containers' but {containers.Finding}: {remedy}, or set {ModeKey}=processes to run Redis and PostgreSQL as local processes.";
            return false;
        }

        if (!TryFindProcessPrograms(builder, out var programs, out problem))
        {
            if (mode == LocalInfrastructureMode.Auto)
            {
                problem = containers!.Runtime is null
                    ? $"Neither a container runtime nor local servers are available: install Docker or Podman, or {problem}"
                    : $"Neither containers nor local servers can run, because {containers.Finding}: make the images pullable, or {problem}";
            }

            return false;
        }

        var why = mode == LocalInfrastructureMode.Processes ? $"{ModeKey} is 'processes'" : containers!.Finding;
        infrastructure = new LocalInfrastructureChoice(builder, LocalInfrastructureMode.Processes, $"{why}, so Redis ({(programs.Redis.Kind == RedisServerKind.Garnet ? "Garnet" : "redis-server")}) and PostgreSQL run as local processes.", programs);
        return true;
    }

    private static bool IsReachableBy(UnprivilegedUser user, string directory)
    {
        Directory.CreateDirectory(directory);
        return user.CanEnter(directory);
    }

    private static bool TryParseMode(string? setting, out LocalInfrastructureMode mode)
    {
        mode = LocalInfrastructureMode.Auto;
        return string.IsNullOrWhiteSpace(setting)
            || (Enum.TryParse(setting, ignoreCase: true, out mode) && Enum.IsDefined(mode) && !int.TryParse(setting, out _));
    }

    private static bool TryFindProcessPrograms(
        IDistributedApplicationBuilder builder,
        [NotNullWhen(true)] out ProcessPrograms? programs,
        [NotNullWhen(false)] out string? problem)
    {
        programs = null;

        var postgresBinDirectory = builder.Configuration[PostgresBinDirectoryKey];
        if (PostgresPrograms.Find(postgresBinDirectory) is not { } postgres)
        {
            problem = string.IsNullOrEmpty(postgresBinDirectory)
                ? "install PostgreSQL's server binaries (initdb and postgres; on Debian or Ubuntu: apt-get install postgresql)."
                : $"put PostgreSQL's initdb and postgres into {postgresBinDirectory} ({PostgresBinDirectoryKey}), or unset {PostgresBinDirectoryKey} to search PATH and /usr/lib/postgresql.";
            return false;
        }

        if (RedisServerProgram.Find(builder.AppHostDirectory) is not { } redis)
        {
            problem = "install redis-server (on Debian or Ubuntu: apt-get install redis-server), or run 'dotnet tool restore' in the repository to get Garnet.";
            return false;
        }

        UnprivilegedUser? runAs = null;
        if (UnprivilegedUser.IsNeeded && (runAs = UnprivilegedUser.Find("postgres")) is null)
        {
            problem = "PostgreSQL refuses to run as root: create an unprivileged 'postgres' user (useradd --system postgres) or run the AppHost as a normal user.";
            return false;
        }

        var dataRoot = builder.Configuration[DataDirectoryKey] is { Length: > 0 } configured
            ? Path.GetFullPath(configured, builder.AppHostDirectory)
            : Path.Combine(builder.AppHostDirectory, ".local");

        if (runAs is not null && !IsReachableBy(runAs, dataRoot))
        {
            // A checkout under a private home folder (/root) cannot be entered by 'postgres';
            // keep the data in a machine-wide folder instead, one per checkout.
            dataRoot = Path.Combine(Path.GetTempPath(), "stack-data", Convert.ToHexStringLower(
                System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(dataRoot)))[..12]);
        }

        programs = new ProcessPrograms(redis, postgres, dataRoot, runAs);
        problem = null;
        return true;
    }
}
