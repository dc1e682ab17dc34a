using Microsoft.Extensions.Logging.Abstractions;
using Stack.Hosting.LocalInfrastructure;

namespace Stack.Hosting.Tests;

/// <summary>The AppHost's own restore of the pinned tools (Garnet), on a machine as cold as CI's first run.</summary>
public sealed class DotnetToolRestoreTests
{
    [Fact]
    public async Task RestoreSucceedsOnAColdToolCache()
    {
        // A fresh DOTNET_CLI_HOME is an empty tool resolver cache: there dotnet/sdk#53783 makes the first
        // restore of a manifest with two tools fail ("... is not contained in the package ...").
        using var coldHome = new TemporaryDirectory();
        var manifest = DotnetToolManifest.Find(RepositoryCheckout.Root);
        Assert.NotNull(manifest);
        var dotnet = DotnetHost.Find();
        Assert.NotNull(dotnet);

        await DotnetToolRestore.RestoreAsync(
            dotnet, manifest, NullLogger.Instance, TestContext.Current.CancellationToken,
            new Dictionary<string, string> { ["DOTNET_CLI_HOME"] = coldHome.Path, ["DOTNET_NOLOGO"] = "1" });

        Assert.True(Directory.Exists(Path.Combine(coldHome.Path, ".dotnet", "toolResolverCache")), "the restore did not use the cold tool cache");
    }
}
