using System.Diagnostics;

namespace Stack.Hosting.Tests.GitOps;

/// <summary>The real `kubectl kustomize`, as Argo CD renders an overlay.</summary>
internal static class Kustomize
{
    public static async Task<string> RenderAsync(string folder)
    {
        var start = new ProcessStartInfo("kubectl", ["kustomize", folder])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken);
        Assert.True(process.ExitCode == 0, $"kubectl kustomize {folder} failed: {await stderr}");
        return await stdout;
    }
}
