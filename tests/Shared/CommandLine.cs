using System.Diagnostics;

namespace Stack.Tests.Shared;

/// <summary>Runs a command as a person would type it, and returns its exit code and everything it printed.</summary>
internal static class CommandLine
{
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError)
    {
        public string AllOutput => StandardOutput + StandardError;
    }

    public static Task<Result> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string> environment, TimeSpan timeout, string command, params string[] args) =>
        RunAsync(workingDirectory, environment, timeout, standardInput: null, command, args);

    /// <summary>As <see cref="RunAsync(string, IReadOnlyDictionary{string, string}, TimeSpan, string, string[])"/>, with <paramref name="standardInput"/> piped in.</summary>
    public static Task<Result> PipeAsync(string standardInput, string workingDirectory, TimeSpan timeout, string command, params string[] args) =>
        RunAsync(workingDirectory, new Dictionary<string, string>(), timeout, standardInput, command, args);

    private static async Task<Result> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string> environment, TimeSpan timeout, string? standardInput, string command, string[] args)
    {
        var startInfo = new ProcessStartInfo(command, args)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = standardInput is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment)
        {
            startInfo.Environment[name] = value;
        }

        using var process = Process.Start(startInfo)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (standardInput is not null)
        {
            await process.StandardInput.WriteAsync(standardInput);
            process.StandardInput.Close();
        }

        try
        {
            await process.WaitForExitAsync().WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{command} {string.Join(' ', args)}' did not finish within {timeout}: {await stdout}{await stderr}");
        }

        return new Result(process.ExitCode, await stdout, await stderr);
    }
}
