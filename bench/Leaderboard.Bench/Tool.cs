using System.Diagnostics;

namespace Leaderboard.Bench;

/// <summary>Runs a command-line tool (wrk, pgbench, redis-server, apt-get) and captures what it prints.</summary>
internal static class Tool
{
    public sealed record Result(int ExitCode, string Output, string Error);

    public static async Task<Result> RunAsync(string program, IEnumerable<string> arguments, IDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cancellation = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(30));
        try
        {
            await process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish in time.");
        }

        return new Result(process.ExitCode, await output, await error);
    }

    /// <summary>The first line <paramref name="program"/> prints for <paramref name="versionArgument"/>, or "not found".</summary>
    public static async Task<string> VersionAsync(string program, string versionArgument = "--version")
    {
        try
        {
            var result = await RunAsync(program, [versionArgument], timeout: TimeSpan.FromSeconds(30));
            var text = (result.Output + "\n" + result.Error).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            return text.FirstOrDefault() ?? "unknown";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "not found";
        }
    }

    /// <summary>Whether <paramref name="program"/> is on PATH.</summary>
    public static bool IsInstalled(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(directory => File.Exists(Path.Combine(directory, program)));

    /// <summary>Installs Debian packages for the tools that are missing (the benchmark's own needs, never the tests').</summary>
    public static async Task EnsureInstalledAsync(TextWriter log, params (string Program, string Package)[] tools)
    {
        var missing = tools.Where(tool => !IsInstalled(tool.Program)).Select(tool => tool.Package).Distinct().ToArray();
        if (missing.Length == 0)
        {
            return;
        }

        log.WriteLine($"Installing {string.Join(", ", missing)} with apt-get");
        var sudo = Environment.UserName == "root" ? [] : new[] { "sudo" };
        string[] install = [.. sudo, "apt-get", "install", "-y", "--no-install-recommends", .. missing];
        var result = await RunAsync(install[0], install[1..], new Dictionary<string, string> { ["DEBIAN_FRONTEND"] = "noninteractive" });
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"apt-get install {string.Join(' ', missing)} failed: {result.Error}");
        }
    }
}
