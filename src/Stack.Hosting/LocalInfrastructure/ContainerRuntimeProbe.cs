using System.Diagnostics;

namespace Stack.Hosting.LocalInfrastructure;

/// <summary>
/// Asks Docker and Podman whether an engine answers. A CLI on PATH is not enough: CI machines
/// have the docker client without an engine, and Aspire would then wait forever for containers.
/// </summary>
public static class ContainerRuntimeProbe
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Returns the name of the first runtime whose engine answers (<c>docker</c> or <c>podman</c>),
    /// trying the one named by <c>ASPIRE_CONTAINER_RUNTIME</c> first; <see langword="null"/> when none does.
    /// </summary>
    public static string? FindHealthyRuntime(string? preferred = null)
    {
        string[] candidates = string.Equals(preferred, "podman", StringComparison.OrdinalIgnoreCase)
            ? ["podman", "docker"]
            : ["docker", "podman"];

        return candidates.FirstOrDefault(runtime => ExecutableSearch.Find(runtime) is { } path && EngineAnswers(path));
    }

    private static bool EngineAnswers(string cliPath)
    {
        var startInfo = new ProcessStartInfo(cliPath, ["info", "--format", "{{json .}}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        try
        {
            using var process = Process.Start(startInfo);
            if (process is null)
            {
                return false;
            }

            // Drain both pipes so a chatty CLI cannot block on a full buffer.
            _ = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();

            if (!process.WaitForExit(ProbeTimeout))
            {
                process.Kill(entireProcessTree: true);
                return false;
            }

            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
