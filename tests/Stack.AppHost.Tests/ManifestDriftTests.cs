namespace Stack.AppHost.Tests;

/// <summary>The committed aspire-manifest.json is what the AppHost renders today.</summary>
[Collection(AppHostCollection.Name)]
public sealed class ManifestDriftTests
{
    private const string ManifestFileName = "aspire-manifest.json";

    [Fact]
    public async Task CommittedManifestMatchesAFreshPublish()
    {
        var manifestPath = Path.Combine(Repository.Root, ManifestFileName);
        Assert.True(File.Exists(manifestPath), $"{ManifestFileName} is missing at the repository root.");
        var committed = await File.ReadAllBytesAsync(manifestPath, TestContext.Current.CancellationToken);

        // The manifest names project paths relative to itself, so it is rendered in place, as the README says.
        var result = await CommandLine.RunAsync(
            Repository.Root,
            new Dictionary<string, string>(),
            TimeSpan.FromMinutes(3),
            "dotnet", "aspire", "do", "publish-manifest", "--output-path", ".", "--non-interactive", "--no-build");
        Assert.True(result.ExitCode == 0, $"publish-manifest failed:\n{result.AllOutput}");

        var fresh = await File.ReadAllBytesAsync(manifestPath, TestContext.Current.CancellationToken);
        Assert.True(
            committed.AsSpan().SequenceEqual(fresh),
            $"{ManifestFileName} is stale: the fresh one is now in the work tree; review it with `git diff {ManifestFileName}` and commit it.");
    }
}
