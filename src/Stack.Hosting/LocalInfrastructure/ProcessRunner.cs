using System.Diagnostics;

namespace Stack.Hosting.LocalInfrastructure;

/// <summary>Runs a short set-up command (initdb, chown) to completion and returns what it printed.</summary>
public static class ProcessRunner
{
    /// <summary>The outcome of one command.</summary>
    public sealed record Result(int ExitCode, string Output)
    {
        /// <summary>Whether the command exited with code 0.</summary>
        public bool Succeeded => ExitCode == 0;
    }

    /// <summary>Runs <paramref name="command"/> with <paramref name="args"/>, merging stdout and stderr.</summary>
    public static async Task<Result> RunAsync(string command, IEnumerable<string> args, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(command, args)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        using var process = Process.Start(startInfo)
            ?? throw new InvalidOperationException($"Could not start '{command}'.");

        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);

        return new Result(process.ExitCode, (await stdout.ConfigureAwait(false)) + (await stderr.ConfigureAwait(false)));
    }
}
