using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace Stack.Cli.Images;

/// <summary>A manifest as a registry serves it: its exact bytes (what the digest covers), media type and digest.</summary>
internal sealed record StoredManifest(byte[] Content, string MediaType, string Digest);

/// <summary>A content descriptor (OCI image spec): what a manifest names a blob or another manifest by.</summary>
internal sealed record Descriptor(string MediaType, string Digest, long Size);

/// <summary>
/// The OCI distribution API over HTTP(S): manifests by tag or digest, blobs by digest, pushes with
/// monolithic uploads. Loopback registries (localhost, 127.0.0.0/8, [::1]) are spoken to over plain
/// HTTP, as the .NET SDK does for them; every other over HTTPS. A registry that asks for a token gets
/// one from its realm, anonymously or with STACK_REGISTRY_USERNAME and STACK_REGISTRY_PASSWORD.
/// Every failure is an <see cref="ImageException"/> with one sentence.
/// </summary>
internal sealed class RegistryClient : IDisposable
{
    public const string UsernameVariable = "STACK_REGISTRY_USERNAME";
    public const string PasswordVariable = "STACK_REGISTRY_PASSWORD";

    /// <summary>The manifest media types asked for: OCI and Docker images and indexes.</summary>
    private static readonly string[] ManifestTypes =
    [
        MediaTypes.OciManifest, MediaTypes.OciIndex, MediaTypes.DockerManifest, MediaTypes.DockerManifestList,
    ];

    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromMinutes(2) };
    private readonly Uri _base;
    private AuthenticationHeaderValue? _authorization;

    public RegistryClient(string registry)
    {
        Registry = registry;
        var host = registry.Split(':')[0].Trim('[', ']');
        var loopback = host == "localhost" || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address))
            || (registry.StartsWith('[') && IPAddress.TryParse(registry[1..registry.IndexOf(']', StringComparison.Ordinal)], out var v6) && IPAddress.IsLoopback(v6));
        _base = new Uri($"{(loopback ? "http" : "https")}://{registry}/v2/");
    }

    /// <summary>The registry's host[:port].</summary>
    public string Registry { get; }

    /// <summary>The manifest <paramref name="reference"/> (tag or digest) of <paramref name="repository"/>; null when there is none.</summary>
    public async Task<StoredManifest?> GetManifestAsync(string repository, string reference, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, $"{repository}/manifests/{reference}");
            foreach (var type in ManifestTypes)
            {
                request.Headers.Accept.ParseAdd(type);
            }

            return request;
        }, repository, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        await EnsureSuccessAsync(response, $"read {repository}:{reference}", cancellationToken);
        var content = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var digest = Digest(content);
        if (reference.StartsWith("sha256:", StringComparison.Ordinal) && digest != reference)
        {
            throw new ImageException($"registry at {Registry} served a manifest for {repository}@{reference} whose content has digest {digest}", rejected: true);
        }

        return new StoredManifest(content, response.Content.Headers.ContentType?.MediaType ?? MediaTypes.OciManifest, digest);
    }

    /// <summary>Stores <paramref name="content"/> as manifest <paramref name="reference"/> (a tag, or its digest); returns its descriptor.</summary>
    public async Task<Descriptor> PutManifestAsync(string repository, string reference, byte[] content, string mediaType, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Put, $"{repository}/manifests/{reference}")
        {
            Content = Bytes(content, mediaType),
        }, repository, cancellationToken);
        await EnsureSuccessAsync(response, $"push the manifest {repository}:{reference}", cancellationToken);
        return new Descriptor(mediaType, Digest(content), content.Length);
    }

    /// <summary>The blob <paramref name="digest"/> of <paramref name="repository"/>, checked against its digest.</summary>
    public async Task<byte[]> GetBlobAsync(string repository, string digest, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, $"{repository}/blobs/{digest}"), repository, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            throw new ImageException($"registry at {Registry} has no blob {digest} in {repository}", rejected: true);
        }

        await EnsureSuccessAsync(response, $"read the blob {digest} of {repository}", cancellationToken);
        var content = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        if (Digest(content) != digest)
        {
            throw new ImageException($"registry at {Registry} served blob {digest} of {repository} with other content (digest {Digest(content)})", rejected: true);
        }

        return content;
    }

    /// <summary>Uploads <paramref name="content"/> as a blob of <paramref name="repository"/> unless it is there already.</summary>
    public async Task<Descriptor> PutBlobAsync(string repository, byte[] content, string mediaType, CancellationToken cancellationToken)
    {
        var digest = Digest(content);
        using (var head = await SendAsync(() => new HttpRequestMessage(HttpMethod.Head, $"{repository}/blobs/{digest}"), repository, cancellationToken))
        {
            if (head.IsSuccessStatusCode)
            {
                return new Descriptor(mediaType, digest, content.Length);
            }
        }

        using var start = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, $"{repository}/blobs/uploads/"), repository, cancellationToken);
        await EnsureSuccessAsync(start, $"start an upload to {repository}", cancellationToken);
        var location = start.Headers.Location ?? throw new ImageException($"registry at {Registry} started an upload to {repository} without a Location");
        var upload = location.IsAbsoluteUri ? location : new Uri(_base, location);
        var target = new UriBuilder(upload) { Query = (upload.Query.Length > 1 ? upload.Query[1..] + "&" : "") + "digest=" + Uri.EscapeDataString(digest) }.Uri;

        using var put = await SendAsync(() => new HttpRequestMessage(HttpMethod.Put, target) { Content = Bytes(content, "application/octet-stream") }, repository, cancellationToken);
        await EnsureSuccessAsync(put, $"upload the blob {digest} to {repository}", cancellationToken);
        return new Descriptor(mediaType, digest, content.Length);
    }

    /// <summary>Whether the registry serves the OCI 1.1 referrers API for <paramref name="repository"/>.</summary>
    public async Task<bool> ServesReferrersAsync(string repository, string digest, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, $"{repository}/referrers/{digest}"), repository, cancellationToken);
        return response.IsSuccessStatusCode && response.Content.Headers.ContentType?.MediaType == MediaTypes.OciIndex;
    }

    /// <summary>The sha256 digest of <paramref name="content"/>, as <c>sha256:&lt;hex&gt;</c>.</summary>
    public static string Digest(byte[] content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));

    public void Dispose() => _http.Dispose();

    private static ByteArrayContent Bytes(byte[] content, string mediaType)
    {
        var body = new ByteArrayContent(content);
        body.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return body;
    }

    /// <summary>Sends a request, answering a token challenge once; a registry that cannot be reached is one sentence.</summary>
    private async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> create, string repository, CancellationToken cancellationToken)
    {
        var response = await SendOnceAsync(create, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized || response.Headers.WwwAuthenticate.FirstOrDefault() is not { } challenge)
        {
            return response;
        }

        response.Dispose();
        _authorization = await AuthorizeAsync(challenge, repository, cancellationToken);
        return await SendOnceAsync(create, cancellationToken);
    }

    private async Task<HttpResponseMessage> SendOnceAsync(Func<HttpRequestMessage> create, CancellationToken cancellationToken)
    {
        using var request = create();
        request.RequestUri = request.RequestUri!.IsAbsoluteUri ? request.RequestUri : new Uri(_base, request.RequestUri);
        request.Headers.Authorization = _authorization;
        try
        {
            return await _http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException exception)
        {
            throw new ImageException($"registry at {Registry} is not reachable ({(exception.InnerException ?? exception).Message.TrimEnd('.')})");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ImageException($"registry at {Registry} did not answer within {_http.Timeout.TotalSeconds:0} s");
        }
    }

    private async Task<AuthenticationHeaderValue> AuthorizeAsync(AuthenticationHeaderValue challenge, string repository, CancellationToken cancellationToken)
    {
        var username = Environment.GetEnvironmentVariable(UsernameVariable);
        var password = Environment.GetEnvironmentVariable(PasswordVariable);
        var basic = string.IsNullOrEmpty(username) ? null
            : new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}")));
        if (challenge.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            return basic ?? throw new ImageException($"registry at {Registry} asks for credentials: set {UsernameVariable} and {PasswordVariable}");
        }

        var parameters = (challenge.Parameter ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => part.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0], pair => pair[1].Trim('"'), StringComparer.OrdinalIgnoreCase);
        if (!parameters.TryGetValue("realm", out var realm))
        {
            throw new ImageException($"registry at {Registry} asked for a token without naming where to get one");
        }

        var query = $"scope={Uri.EscapeDataString($"repository:{repository}:pull,push")}" + (parameters.TryGetValue("service", out var service) ? $"&service={Uri.EscapeDataString(service)}" : "");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{realm}?{query}");
        request.Headers.Authorization = basic;
        using var response = await _http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new ImageException($"registry at {Registry} refused a token for {repository} (HTTP {(int)response.StatusCode}): set {UsernameVariable} and {PasswordVariable}");
        }

        using var document = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        var token = document.RootElement.TryGetProperty("token", out var t) ? t.GetString()
            : document.RootElement.TryGetProperty("access_token", out var a) ? a.GetString() : null;
        return new AuthenticationHeaderValue("Bearer", token ?? throw new ImageException($"registry at {Registry} answered without a token"));
    }

    private async Task EnsureSuccessAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var detail = body.Length == 0 ? "" : ": " + string.Join(' ', body.Split('\n', StringSplitOptions.RemoveEmptyEntries)).Trim();
        if (detail.Length > 200)
        {
            detail = detail[..200] + "…";
        }

        throw response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
            ? new ImageException($"registry at {Registry} refused to {what} (HTTP {(int)response.StatusCode}): set {UsernameVariable} and {PasswordVariable}")
            : new ImageException($"registry at {Registry} could not {what} (HTTP {(int)response.StatusCode}{detail})");
    }
}
