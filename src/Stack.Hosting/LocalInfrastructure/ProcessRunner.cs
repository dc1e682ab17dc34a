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
    /// <param name="command">The program.</param>
    /// <param name="args">Its arguments.</param>
    /// <param name="cancellationToken">Stops waiting (the process is left to finish).</param>
    /// <param name="workingDirectory">Where it runs; the current folder when <see langword="null"/>.</param>
    public static async Task<Result> RunAsync(string command, IEnumerable<string> args, CancellationToken cancellationToken, string? workingDirectory = null)
    {
        var startInfo = new ProcessStartInfo(command, args)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? "",
        };

        using var process = Process.Start(startInfo)
            ?? throw new InvalidOperationException($"Could not start '{command}'.");

        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);

        return new Result(process.ExitCode, (await stdout.ConfigureAwait(false)) + (await stderr.ConfigureAwait(false)));
    }
}
