using System.ComponentModel;

namespace Stack.Hosting.LocalInfrastructure;

/// <summary>
/// Asks Docker and Podman whether they can run the stack's containers. A CLI on PATH is not enough
/// (CI machines have the docker client without an engine), and neither is an engine that answers:
/// without a reachable registry it cannot pull the images, and Aspire would then wait forever.
/// </summary>
public static class ContainerRuntimeProbe
{
    private static readonly TimeSpan InfoTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Returns the name of the first runtime whose engine answers (<c>docker</c> or <c>podman</c>),
    /// trying <paramref name="preferred"/> (the value of <c>ASPIRE_CONTAINER_RUNTIME</c>) first; <see langword="null"/> when none does.
    /// </summary>
    public static string? FindHealthyRuntime(string? preferred = null)
    {
        string[] candidates = string.Equals(preferred, "podman", StringComparison.OrdinalIgnoreCase)
            ? ["podman", "docker"]
            : ["docker", "podman"];

        return candidates.FirstOrDefault(runtime => ExecutableSearch.Find(runtime) is { } path && Run(path, ["info", "--format", "{{json .}}"], InfoTimeout) is { Succeeded: true });
    }

    /// <summary>
    /// Finds a runtime that answers (as <see cref="FindHealthyRuntime"/>) and checks that it has each of
    /// <paramref name="images"/> or can pull it within <paramref name="pullTimeout"/>. Images already
    /// present cost one <c>image inspect</c> each; only a missing image is pulled, and <paramref name="progress"/>
    /// hears about it first, because a pull can take a while.
    /// </summary>
    /// <param name="preferred">The runtime to try first (<c>ASPIRE_CONTAINER_RUNTIME</c>), or <see langword="null"/>.</param>
    /// <param name="images">Full image references, e.g. <see cref="PinnedImageTags.Images"/>.</param>
    /// <param name="pullTimeout">How long one pull may take before the image counts as unavailable.</param>
    /// <param name="progress">Where to say that a pull starts; <see langword="null"/> for silence.</param>
    public static ContainerRuntimeCheck Check(string? preferred, IEnumerable<string> images, TimeSpan pullTimeout, TextWriter? progress = null)
    {
        ArgumentNullException.ThrowIfNull(images);

        if (FindHealthyRuntime(preferred) is not { } runtime)
        {
            return new ContainerRuntimeCheck(Runtime: null, UnavailableImage: null, PullError: null);
        }

        var cli = ExecutableSearch.Find(runtime)!;
        foreach (var image in images)
        {
            if (Run(cli, ["image", "inspect", "--format", "{{.Id}}", image], InfoTimeout) is { Succeeded: true })
            {
                continue;
            }

            progress?.WriteLine($"Pulling {image} with {runtime} (at most {pullTimeout.TotalSeconds:0} s) to see whether Redis and PostgreSQL can run as containers...");
            var pull = Run(cli, ["pull", image], pullTimeout);
            if (pull is not { Succeeded: true })
            {
                var why = pull is null ? $"no answer within {pullTimeout.TotalSeconds:0} s" : LastLine(pull.Output);
                return new ContainerRuntimeCheck(runtime, image, why);
            }
        }

        return new ContainerRuntimeCheck(runtime, UnavailableImage: null, PullError: null);
    }

    /// <summary>Runs the CLI to completion; <see langword="null"/> when it did not finish within <paramref name="timeout"/> (it is stopped).</summary>
    private static ProcessRunner.Result? Run(string cli, string[] args, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            return ProcessRunner.RunAsync(cli, args, deadline.Token).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        catch (Win32Exception exception)
        {
            return new ProcessRunner.Result(-1, exception.Message);
        }
    }

    // The CLIs end with the error that decided ("Error: initializing source ...: connection refused").
    private static string LastLine(string output)
    {
        var last = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "no output";
        return last.StartsWith("Error: ", StringComparison.Ordinal) ? last["Error: ".Length..] : last;
    }
}

/// <summary>What <see cref="ContainerRuntimeProbe.Check"/> found out.</summary>
/// <param name="Runtime">The runtime whose engine answers (<c>docker</c> or <c>podman</c>), or <see langword="null"/> when none does.</param>
/// <param name="UnavailableImage">The first image that runtime neither has nor could pull; <see langword="null"/> when it has them all.</param>
/// <param name="PullError">What the failed pull said, in one line.</param>
public sealed record ContainerRuntimeCheck(string? Runtime, string? UnavailableImage, string? PullError)
{
    /// <summary>Whether a runtime answers and has every image, so containers can start right away.</summary>
    public bool CanRunContainers => Runtime is not null && UnavailableImage is null;

    /// <summary>The finding as a clause for a sentence, e.g. <c>podman cannot pull docker.io/library/redis:8.2.1 (...)</c>.</summary>
    public string Finding => (Runtime, UnavailableImage) switch
    {
        (null, _) => "no container runtime answers",
        (_, null) => $"{Runtime} answers and has the pinned images",
        _ => $"{Runtime} cannot pull {UnavailableImage} ({PullError})",
    };
}
