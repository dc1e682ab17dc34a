using Stack.GitOps;
using Stack.Hosting.LocalInfrastructure;

namespace Stack.Hosting.GitOps.Drift;

/// <summary>
/// Renders the AppHost again, the way <c>aspire publish</c> does, over a copy of the committed
/// tree (so promotion's image tags are kept) and compares the result with what git holds.
/// </summary>
internal static class DriftCheck
{
    /// <summary>Publishes <paramref name="appHostAssembly"/> into a temporary copy of <paramref name="committed"/> and returns the difference, or the publish error.</summary>
    public static async Task<(TreeDifference? Difference, string? Error)> RunAsync(string appHostAssembly, string appHostDirectory, DeployTree committed, CancellationToken cancellationToken)
    {
        var scratch = Directory.CreateTempSubdirectory("stack-drift-");
        try
        {
            var rendered = Path.Combine(scratch.FullName, "deploy");
            committed.CopyTo(rendered);

            var dotnet = DotnetHost.Find() ?? "dotnet";
            var result = await ProcessRunner.RunAsync(
                dotnet,
                ["exec", appHostAssembly, "--operation", "publish", "--step", "publish", "--output-path", rendered],
                cancellationToken,
                appHostDirectory);

            return result.Succeeded
                ? (TreeDifference.Between(committed.Root, rendered), null)
                : (null, $"Publish failed (exit code {result.ExitCode}):\n{result.Output.Trim()}");
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }
}
