using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace Stack.Cli.Tests.Images;

/// <summary>
/// A real OCI registry for the image tests: Debian's docker-registry on a free loopback port, its
/// storage in a temporary folder, stopped and deleted with the fixture. Test images are made with
/// umoci (an empty image with a label of the test's own, so every one has its own digest) and pushed
/// with skopeo, as a build would push them.
/// </summary>
public sealed class LocalRegistry : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);
    private readonly TemporaryDirectory _folder = new();
    private Process? _process;

    /// <summary>host:port of the registry.</summary>
    public string Host { get; private set; } = "";

    /// <summary>A host:port where nothing listens: a registry that is down.</summary>
    public static string Down => "127.0.0.1:1";

    public HttpClient Http { get; } = new();

    public async ValueTask InitializeAsync()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        Host = $"127.0.0.1:{port}";

        var config = Path.Combine(_folder.Path, "config.yml");
        await File.WriteAllTextAsync(config, $"version: 0.1\nlog: {{level: error}}\nstorage:\n  filesystem: {{rootdirectory: {_folder.Path}/data}}\n  delete: {{enabled: true}}\nhttp:\n  addr: {Host}\n");
        _process = Process.Start(new ProcessStartInfo("docker-registry", ["serve", config]) { RedirectStandardError = true, RedirectStandardOutput = true })
            ?? throw new InvalidOperationException("docker-registry did not start (tests/install-test-dependencies.sh installs it)");
        _ = _process.StandardOutput.ReadToEndAsync();
        _ = _process.StandardError.ReadToEndAsync();

        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            try
            {
                using var response = await Http.GetAsync($"http://{Host}/v2/");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"docker-registry did not answer on {Host} within {Timeout.TotalSeconds:0} s");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Pushes a new image (its own digest) as <c>host/repository:tag</c>; returns the reference.</summary>
    public async Task<string> PushImageAsync(string repository, string tag, string? label = null)
    {
        using var layout = new TemporaryDirectory();
        var image = $"{layout.Path}/oci:test";
        await RequireAsync("umoci", "init", "--layout", $"{layout.Path}/oci");
        await RequireAsync("umoci", "new", "--image", image);
        await RequireAsync("umoci", "config", "--image", image, "--config.label", $"test={label ?? Guid.NewGuid().ToString("N")}");
        var reference = $"{Host}/{repository}:{tag}";
        await RequireAsync("skopeo", "copy", "--quiet", "--dest-tls-verify=false", $"oci:{image}", $"docker://{reference}");
        return reference;
    }

    /// <summary>Copies a manifest (and what it names) to another tag of the same repository.</summary>
    public Task CopyAsync(string repository, string fromTag, string toTag) =>
        RequireAsync("skopeo", "copy", "--quiet", "--src-tls-verify=false", "--dest-tls-verify=false", $"docker://{Host}/{repository}:{fromTag}", $"docker://{Host}/{repository}:{toTag}");

    /// <summary>The manifest digest <paramref name="repository"/>:<paramref name="reference"/> has now.</summary>
    public async Task<string> DigestAsync(string repository, string reference)
    {
        using var response = await ManifestRequestAsync(HttpMethod.Head, repository, reference);
        return response.Headers.GetValues("Docker-Content-Digest").Single();
    }

    /// <summary>A manifest of the registry as JSON.</summary>
    public async Task<JsonObject> ManifestAsync(string repository, string reference)
    {
        using var response = await ManifestRequestAsync(HttpMethod.Get, repository, reference);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    private async Task<HttpResponseMessage> ManifestRequestAsync(HttpMethod method, string repository, string reference)
    {
        using var request = new HttpRequestMessage(method, $"http://{Host}/v2/{repository}/manifests/{reference}");
        request.Headers.Accept.ParseAdd("application/vnd.oci.image.manifest.v1+json");
        request.Headers.Accept.ParseAdd("application/vnd.oci.image.index.v1+json");
        var response = await Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return response;
    }

    public Task<byte[]> BlobAsync(string repository, string digest) => Http.GetByteArrayAsync($"http://{Host}/v2/{repository}/blobs/{digest}");

    public ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        _process?.Dispose();
        Http.Dispose();
        _folder.Dispose();
        return ValueTask.CompletedTask;
    }

    private static async Task RequireAsync(string command, params string[] args)
    {
        var result = await CommandLine.RunAsync(Path.GetTempPath(), new Dictionary<string, string>(), Timeout, command, args);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{command} {string.Join(' ', args)} failed: {result.AllOutput}");
        }
    }
}
