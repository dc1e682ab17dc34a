namespace Stack.Tests.Shared;

/// <summary>
/// The machine's real podman (engine and CLI) with a private, empty image store and docker.io pointed
/// at a closed port on 127.0.0.1: the engine answers, but no image is present and every pull fails
/// with a real connection error, as on a machine that reaches no registry, whatever this machine
/// has pulled or can reach. Its configuration reaches podman through <see cref="Environment"/>.
/// </summary>
internal sealed class IsolatedPodman : IDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);
    private readonly TemporaryDirectory _root;
    private readonly Dictionary<string, string?> _replaced = [];

    private IsolatedPodman(TemporaryDirectory root, IReadOnlyDictionary<string, string> environment)
    {
        _root = root;
        Environment = environment;
    }

    /// <summary>The variables that give podman this store and these registries.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; }

    /// <summary>
    /// Sets up the private store; fails the test with what to install when podman is missing or its
    /// engine does not answer (a test never skips silently).
    /// </summary>
    /// <param name="registry">Where docker.io's images are pulled from: by default a closed port (connection refused).</param>
    public static async Task<IsolatedPodman> CreateAsync(string registry = "127.0.0.1:1")
    {
        var root = new TemporaryDirectory();
        try
        {
            var storage = Path.Combine(root.Path, "storage.conf");
            var registries = Path.Combine(root.Path, "registries.conf");
            // vfs: plain folders, no mounts, so the whole store goes with the temporary folder.
            await File.WriteAllTextAsync(storage, $"""
                [storage]
                driver = "vfs"
                graphroot = "{Path.Combine(root.Path, "graph")}"
                runroot = "{Path.Combine(root.Path, "run")}"
                """);
            await File.WriteAllTextAsync(registries, $"""
                unqualified-search-registries = []

                [[registry]]
                prefix = "docker.io"
                location = "{registry}"
                """);

            var podman = new IsolatedPodman(root, new Dictionary<string, string>
            {
                ["CONTAINERS_STORAGE_CONF"] = storage,
                ["CONTAINERS_REGISTRIES_CONF"] = registries,
            });
            await podman.RequireAnsweringAsync();
            return podman;
        }
        catch
        {
            root.Dispose();
            throw;
        }
    }

    /// <summary>Tags an empty image as each of <paramref name="images"/> in the private store: present, with no registry involved.</summary>
    public async Task AddImagesAsync(IEnumerable<string> images)
    {
        var emptyArchive = Path.Combine(_root.Path, "empty.tar");
        await System.Formats.Tar.TarFile.CreateFromDirectoryAsync(Directory.CreateDirectory(Path.Combine(_root.Path, "empty")).FullName, emptyArchive, includeBaseDirectory: false);
        foreach (var image in images)
        {
            var imported = await RunAsync("import", emptyArchive, image);
            Assert.True(imported.ExitCode == 0, $"podman import {image} failed: {imported.AllOutput}");
        }
    }

    /// <summary>Gives this process <see cref="Environment"/> until disposed; only for tests that run alone (a non-parallel collection).</summary>
    public void ApplyToThisProcess()
    {
        foreach (var (name, value) in Environment)
        {
            _replaced[name] = System.Environment.GetEnvironmentVariable(name);
            System.Environment.SetEnvironmentVariable(name, value);
        }
    }

    public void Dispose()
    {
        foreach (var (name, value) in _replaced)
        {
            System.Environment.SetEnvironmentVariable(name, value);
        }

        _root.Dispose();
    }

    private async Task RequireAnsweringAsync()
    {
        CommandLine.Result info;
        try
        {
            info = await RunAsync("info", "--format", "{{.Store.GraphRoot}}");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            Assert.Fail("This test needs a real podman on PATH: run tests/install-test-dependencies.sh (as root), or apt-get install podman runc.");
            throw;
        }

        Assert.True(info.ExitCode == 0, $"This test needs a podman whose engine answers, but 'podman info' failed: {info.AllOutput.Trim()}");
    }

    private Task<CommandLine.Result> RunAsync(params string[] args) =>
        CommandLine.RunAsync(_root.Path, Environment, CommandTimeout, "podman", args);
}
