using Microsoft.Extensions.Logging;

namespace Stack.Hosting.LocalInfrastructure;

/// <summary>Runs <c>dotnet tool restore</c> for a tool manifest, the way <c>tests/run-all.sh</c> does.</summary>
public static class DotnetToolRestore
{
    // What dotnet/sdk#53783 prints: on a cold tool resolver cache (a fresh machine or DOTNET_CLI_HOME)
    // restore attributes one package's commands to another package of the manifest.
    private const string MisattributedCommands = "specified in the tool manifest file is not contained in the package with Package Id";

    /// <summary>
    /// Restores every tool of <paramref name="manifest"/>. Retries exactly once after the failure of
    /// dotnet/sdk#53783, which the first run's warmed cache avoids; any other failure, or a second one,
    /// throws an <see cref="InvalidOperationException"/> with one sentence and what dotnet printed.
    /// </summary>
    /// <param name="dotnet">The <c>dotnet</c> host, from <see cref="DotnetHost.Find"/>.</param>
    /// <param name="manifest">The <c>.config/dotnet-tools.json</c> to restore.</param>
    /// <param name="logger">Where the retry is reported.</param>
    /// <param name="cancellationToken">Stops the restore.</param>
    /// <param name="environment">Variables for <c>dotnet</c> on top of this process's own (e.g. <c>DOTNET_CLI_HOME</c>).</param>
    public static async Task RestoreAsync(
        string dotnet,
        string manifest,
        ILogger logger,
        CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(dotnet);
        ArgumentException.ThrowIfNullOrEmpty(manifest);
        ArgumentNullException.ThrowIfNull(logger);

        var directory = Path.GetDirectoryName(Path.GetDirectoryName(Path.GetFullPath(manifest)))!;
        Task<ProcessRunner.Result> RunAsync() =>
            ProcessRunner.RunAsync(dotnet, ["tool", "restore", "--tool-manifest", manifest], cancellationToken, directory, environment);

        var result = await RunAsync().ConfigureAwait(false);
        if (result.Succeeded)
        {
            return;
        }

        if (!result.Output.Contains(MisattributedCommands, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"'dotnet tool restore' failed for {manifest}: {result.Output.Trim()}");
        }

        // dotnet/sdk#53783 (open): the failed run has filled the tool resolver cache, and the second run succeeds.
        logger.LogInformation("'dotnet tool restore' misattributed a tool's commands (dotnet/sdk#53783, a cold tool cache); retrying once");
        result = await RunAsync().ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"'dotnet tool restore' failed twice for {manifest}, also after the retry for dotnet/sdk#53783: {result.Output.Trim()}");
        }
    }
}
