using System.Text;
using System.Text.Json.Nodes;

namespace Stack.Cli.Images;

/// <summary>
/// Attaches a CycloneDX SBOM to an image as an OCI 1.1 artifact that refers to it: a manifest with
/// <c>artifactType: application/vnd.cyclonedx+json</c>, the empty config, the SBOM as its one layer,
/// and <c>subject</c> naming the image. Registries that serve the referrers API index it themselves;
/// for the others (Debian's docker-registry 2.8, many mirrors) the referrers tag schema of the
/// distribution spec is kept: the tag <c>sha256-&lt;hex&gt;</c> holds an index of the image's referrers.
/// </summary>
internal static class SbomAttachment
{
    private static readonly byte[] EmptyConfig = "{}"u8.ToArray();

    /// <summary>Pushes <paramref name="sbom"/> as a referrer of <paramref name="image"/>; returns (image digest, SBOM manifest digest).</summary>
    public static async Task<(string Image, string Sbom)> AttachAsync(RegistryClient registry, ImageReference image, byte[] sbom, string? created, CancellationToken cancellationToken)
    {
        var subject = await registry.GetManifestAsync(image.Repository, image.Reference, cancellationToken)
            ?? throw new ImageException($"no image {image} in the registry at {registry.Registry}", rejected: true);
        string? format;
        try
        {
            var text = sbom.AsSpan();
            format = JsonNode.Parse(text.StartsWith("\uFEFF"u8) ? text[3..] : text)?["bomFormat"]?.GetValue<string>();
        }
        catch (Exception exception) when (exception is System.Text.Json.JsonException or InvalidOperationException)
        {
            format = null;
        }

        if (format != "CycloneDX")
        {
            throw new ImageException("the SBOM is not a CycloneDX JSON document (no \"bomFormat\": \"CycloneDX\")");
        }

        var config = await registry.PutBlobAsync(image.Repository, EmptyConfig, MediaTypes.OciEmpty, cancellationToken);
        var layer = await registry.PutBlobAsync(image.Repository, sbom, MediaTypes.CycloneDxJson, cancellationToken);
        var annotations = new JsonObject();
        if (created is not null)
        {
            annotations["org.opencontainers.image.created"] = created;
        }

        var layerJson = Json.Descriptor(layer);
        layerJson["annotations"] = new JsonObject { ["org.opencontainers.image.title"] = "sbom.cdx.json" };
        var configJson = Json.Descriptor(config);
        configJson["data"] = Convert.ToBase64String(EmptyConfig);
        var manifest = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = MediaTypes.OciManifest,
            ["artifactType"] = MediaTypes.CycloneDxJson,
            ["config"] = configJson,
            ["layers"] = new JsonArray(layerJson),
            ["subject"] = Json.Descriptor(new Descriptor(subject.MediaType, subject.Digest, subject.Content.Length)),
        };
        if (annotations.Count > 0)
        {
            manifest["annotations"] = annotations;
        }

        var bytes = Encoding.UTF8.GetBytes(manifest.ToJsonString());
        var pushed = await registry.PutManifestAsync(image.Repository, RegistryClient.Digest(bytes), bytes, MediaTypes.OciManifest, cancellationToken);

        if (!await registry.ServesReferrersAsync(image.Repository, subject.Digest, cancellationToken))
        {
            await AddToReferrersTagAsync(registry, image.Repository, subject.Digest, pushed, annotations, cancellationToken);
        }

        return (subject.Digest, pushed.Digest);
    }

    /// <summary>The referrers tag schema: the index under <c>sha256-&lt;hex&gt;</c> lists every referrer of the digest.</summary>
    private static async Task AddToReferrersTagAsync(RegistryClient registry, string repository, string subject, Descriptor referrer, JsonObject annotations, CancellationToken cancellationToken)
    {
        var tag = subject.Replace(':', '-');
        var manifests = new JsonArray();
        if (await registry.GetManifestAsync(repository, tag, cancellationToken) is { MediaType: MediaTypes.OciIndex } existing
            && JsonNode.Parse(existing.Content)?["manifests"] is JsonArray listed)
        {
            foreach (var entry in listed.OfType<JsonNode>().Where(entry => (string?)entry["digest"] != referrer.Digest))
            {
                manifests.Add(entry.DeepClone());
            }
        }

        var descriptor = Json.Descriptor(referrer);
        descriptor["artifactType"] = MediaTypes.CycloneDxJson;
        if (annotations.Count > 0)
        {
            descriptor["annotations"] = annotations.DeepClone();
        }

        manifests.Add(descriptor);
        var index = Encoding.UTF8.GetBytes(new JsonObject { ["schemaVersion"] = 2, ["mediaType"] = MediaTypes.OciIndex, ["manifests"] = manifests }.ToJsonString());
        await registry.PutManifestAsync(repository, tag, index, MediaTypes.OciIndex, cancellationToken);
    }
}
