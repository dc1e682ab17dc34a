using System.ComponentModel;
using System.Diagnostics;

namespace Stack.Policy.Kubernetes;

/// <summary>Renders a kustomization folder with <c>kubectl kustomize</c>, as Argo CD renders it.</summary>
public static class Kustomize
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    private static readonly string[] FileNames = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

    /// <summary>Whether <paramref name="directory"/> holds a kustomization file.</summary>
    public static bool IsKustomization(string directory) =>
        FileNames.Any(name => File.Exists(Path.Combine(directory, name)));

    /// <summary>The rendered YAML, or why there is none (kubectl missing, failing or hanging).</summary>
    public static (string? Yaml, string? Error) Render(string directory)
    {
        var startInfo = new ProcessStartInfo("kubectl", ["kustomize", directory])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        Process process;
        try
        {
            process = Process.Start(startInfo)!;
        }
        catch (Win32Exception exception)
        {
            return (null, $"kubectl is needed to render this kustomization and could not be started: {exception.Message}");
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(Timeout))
            {
                process.Kill(entireProcessTree: true);
                return (null, $"kubectl kustomize did not finish within {Timeout.TotalSeconds:0} s");
            }

            if (process.ExitCode != 0)
            {
                var reason = error.Result.Trim().Split('\n').FirstOrDefault(line => line.Length > 0) ?? $"exit code {process.ExitCode}";
                return (null, $"kubectl kustomize failed: {reason}");
            }

            return (output.Result, null);
        }
    }
}
