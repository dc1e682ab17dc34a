using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Stack.AppHost.Tests;

/// <summary>
/// The AppHost run from a temporary copy of this checkout (every file git holds or would take),
/// which a test may edit first: the deploy tooling then judges the copy's committed tree, and the
/// real checkout is never touched. Redis, PostgreSQL and the API are held back (explicit start):
/// nothing here judges them, and the machine has two cores.
/// </summary>
internal sealed class CheckoutCopy : IAsyncDisposable
{
    private readonly TemporaryDirectory _copy = new();
    private readonly TemporaryDirectory _data = new();

    private CheckoutCopy()
    {
    }

    /// <summary>The root of the copy.</summary>
    public string Root => _copy.Path;

    public DistributedApplication App { get; private set; } = null!;

    /// <summary>Copies the checkout, lets <paramref name="edit"/> change the copy (given its root), then starts the AppHost from it.</summary>
    public static async Task<CheckoutCopy> StartAsync(Action<string> edit)
    {
        var checkout = new CheckoutCopy();
        try
        {
            await checkout.CopyCheckoutAsync();
            edit(checkout.Root);
            await checkout.StartAppHostAsync();
            return checkout;
        }
        catch
        {
            await checkout.DisposeAsync();
            throw;
        }
    }

    /// <summary>Replaces <paramref name="original"/> with <paramref name="replacement"/> in a file of the copy; fails when the file no longer holds it.</summary>
    public static void Edit(string root, string relativePath, string original, string replacement)
    {
        var path = Path.Combine(root, relativePath);
        var text = File.ReadAllText(path);
        Assert.True(text.Contains(original, StringComparison.Ordinal), $"{relativePath} no longer holds '{original}': choose another edit for this test.");
        File.WriteAllText(path, text.Replace(original, replacement, StringComparison.Ordinal));
    }

    public async ValueTask DisposeAsync()
    {
        if (App is not null)
        {
            await App.DisposeAsync();
        }

        _copy.Dispose();
        _data.Dispose();
    }

    private async Task CopyCheckoutAsync()
    {
        var files = await CommandLine.RunAsync(Repository.Root, new Dictionary<string, string>(), TimeSpan.FromSeconds(30), "git", "ls-files", "-z", "--cached", "--others", "--exclude-standard");
        Assert.True(files.ExitCode == 0, $"git ls-files failed: {files.AllOutput}");
        foreach (var file in files.StandardOutput.Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            var source = Path.Combine(Repository.Root, file);
            if (File.Exists(source))
            {
                var target = Path.Combine(Root, file);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(source, target);
            }
        }
    }

    private async Task StartAppHostAsync()
    {
        var args = AppHostArguments.Isolated("processes", _data.Path);
        var builder = await DistributedApplicationTestingBuilder
            .CreateAsync<Projects.AppHost>(args, (options, _) => options.ProjectDirectory = Path.Combine(Root, "AppHost"))
            .WaitAsync(StackAppHost.StartupTimeout);
        builder.Services.AddLogging(logging => logging.AddFilter(level => level >= LogLevel.Warning));
        foreach (var resource in builder.Resources.Where(r => r is ProjectResource or ContainerResource or ExecutableResource).ToList())
        {
            builder.CreateResourceBuilder(resource).WithExplicitStart();
        }

        App = await builder.BuildAsync().WaitAsync(StackAppHost.StartupTimeout);
        await App.StartAsync().WaitAsync(StackAppHost.StartupTimeout);
    }
}
