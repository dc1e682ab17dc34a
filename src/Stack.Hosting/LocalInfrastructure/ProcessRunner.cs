using System.Diagnostics;

namespace Stack.Hosting.LocalInfrastructure;

/// <summary>Runs a short set-up command (initdb, chown, a container CLI) to completion and returns what it printed.</summary>
public static class ProcessRunner
{
    /// <summary>How long a stopped command may take to be torn down before the caller goes on anyway.</summary>
    private static readonly TimeSpan KillTeardown = TimeSpan.FromSeconds(5);

    /// <summary>The outcome of one command.</summary>
    public sealed record Result(int ExitCode, string Output)
    {
        /// <summary>Whether the command exited with code 0.</summary>
        public bool Succeeded => ExitCode == 0;
    }

    /// <summary>Runs <paramref name="command"/> with <paramref name="args"/>, merging stdout and stderr.</summary>
    /// <param name="command">The program.</param>
    /// <param name="args">Its arguments.</param>
    /// <param name="cancellationToken">Stops the command (its whole process tree) and throws <see cref="OperationCanceledException"/>.</param>
    /// <param name="workingDirectory">Where it runs; the current folder when <see langword="null"/>.</param>
    /// <param name="environment">Variables to set for the command on top of this process's own.</param>
    public static async Task<Result> RunAsync(
        string command,
        IEnumerable<string> args,
        CancellationToken cancellationToken,
        string? workingDirectory = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var startInfo = new ProcessStartInfo(command, args)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? "",
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            startInfo.Environment[name] = value;
        }

        using var process = Process.Start(startInfo)
            ?? throw new InvalidOperationException($"Could not start '{command}'.");

        // Drain both pipes while waiting, so a chatty command cannot block on a full buffer.
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Nobody waits for the answer any more: leave no command running behind (a hung pull, say).
            // A killed process lives on until the kernel has torn it down: the caller goes on once it is gone.
            process.Kill(entireProcessTree: true);
            using var teardown = new CancellationTokenSource(KillTeardown);
            try
            {
                await process.WaitForExitAsync(teardown.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Still not gone (uninterruptible I/O, say): nothing more can be done than SIGKILL.
            }

            throw;
        }

        return new Result(process.ExitCode, (await stdout.ConfigureAwait(false)) + (await stderr.ConfigureAwait(false)));
    }
}
