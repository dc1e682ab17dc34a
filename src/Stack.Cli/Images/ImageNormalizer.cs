using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Stack.Cli.Images;

/// <summary>
/// Makes an image the .NET SDK pushed reproducible: the SDK stamps its build clock on the image
/// config (<c>created</c>, its history entry) and on every file of the layer it adds (the app), and
/// has no setting for either. This rewrites those to the commit time (SOURCE_DATE_EPOCH):
/// <list type="bullet">
/// <item>the app layer (the last one, the only one the SDK adds) is written again with every entry's
/// modification time set to the commit time, entries in ordinal order of their paths, owners and
/// modes kept, and gzip without a timestamp;</item>
/// <item>the config's <c>created</c> is the commit time, and any history entry later than it is
/// clamped to it (the base image's entries are older and stay as they are);</item>
/// <item>the manifest names the new layer and config, and replaces the SDK's under the same tag.</item>
/// </list>
/// Base layers are never touched, so the base digest stays the one pinned.
/// </summary>
internal static class ImageNormalizer
{
    public static async Task<string> NormalizeAsync(RegistryClient registry, ImageReference image, DateTimeOffset created, CancellationToken cancellationToken)
    {
        var stored = await registry.GetManifestAsync(image.Repository, image.Reference, cancellationToken)
            ?? throw new ImageException($"no image {image} in the registry at {registry.Registry}");
        if (stored.MediaType is not (MediaTypes.OciManifest or MediaTypes.DockerManifest))
        {
            throw new ImageException($"{image} is a {stored.MediaType}, not one image manifest: build one runtime identifier per image");
        }

        var manifest = JsonNode.Parse(stored.Content)!.AsObject();
        var layers = manifest["layers"]!.AsArray();
        var appLayer = layers[^1]!.AsObject();
        var layerType = (string)appLayer["mediaType"]!;
        if (layerType is not (MediaTypes.OciLayerGzip or MediaTypes.DockerLayerGzip))
        {
            throw new ImageException($"the last layer of {image} is {layerType}, not a gzip tar layer");
        }

        var (layer, diffId) = Rewrite(await registry.GetBlobAsync(image.Repository, (string)appLayer["digest"]!, cancellationToken), created);
        var layerBlob = await registry.PutBlobAsync(image.Repository, layer, layerType, cancellationToken);
        appLayer["digest"] = layerBlob.Digest;
        appLayer["size"] = layerBlob.Size;

        var configDescriptor = manifest["config"]!.AsObject();
        var config = JsonNode.Parse(await registry.GetBlobAsync(image.Repository, (string)configDescriptor["digest"]!, cancellationToken))!.AsObject();
        var timestamp = created.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        config["created"] = timestamp;
        foreach (var entry in (config["history"] as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            if (entry["created"] is JsonValue value && DateTimeOffset.TryParse((string?)value, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var when) && when > created)
            {
                entry["created"] = timestamp;
            }
        }

        var diffIds = config["rootfs"]!["diff_ids"]!.AsArray();
        diffIds[^1] = diffId;
        var configBytes = Encoding.UTF8.GetBytes(config.ToJsonString());
        var configBlob = await registry.PutBlobAsync(image.Repository, configBytes, (string)configDescriptor["mediaType"]!, cancellationToken);
        configDescriptor["digest"] = configBlob.Digest;
        configDescriptor["size"] = configBlob.Size;

        var bytes = Encoding.UTF8.GetBytes(manifest.ToJsonString());
        var pushed = await registry.PutManifestAsync(image.Repository, image.Tag ?? RegistryClient.Digest(bytes), bytes, stored.MediaType, cancellationToken);
        return pushed.Digest;
    }

    /// <summary>The layer written again deterministically; returns the gzip blob and the digest of the tar (the diff_id).</summary>
    private static (byte[] Layer, string DiffId) Rewrite(byte[] gzipped, DateTimeOffset created)
    {
        var entries = new List<(TarEntry Entry, byte[]? Data)>();
        using (var reader = new TarReader(new GZipStream(new MemoryStream(gzipped), CompressionMode.Decompress)))
        {
            while (reader.GetNextEntry(copyData: true) is { } entry)
            {
                if (entry.EntryType == TarEntryType.GlobalExtendedAttributes)
                {
                    continue;
                }

                byte[]? data = null;
                if (entry.DataStream is { } stream)
                {
                    using var copy = new MemoryStream();
                    stream.CopyTo(copy);
                    data = copy.ToArray();
                }

                entries.Add((entry, data));
            }
        }

        using var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Ustar, leaveOpen: true))
        {
            foreach (var (entry, data) in entries.OrderBy(e => e.Entry.Name.TrimEnd('/'), StringComparer.Ordinal))
            {
                // Ustar: no extended headers (.NET names PAX headers after its process id); a name too
                // long for ustar takes GNU's long-name entry, with every time the commit time.
                PosixTarEntry copy = Encoding.UTF8.GetByteCount(entry.Name) <= 100
                    ? new UstarTarEntry(ToUstar(entry.EntryType), entry.Name)
                    : new GnuTarEntry(ToUstar(entry.EntryType), entry.Name) { AccessTime = created, ChangeTime = created };
                copy.ModificationTime = created;
                copy.Mode = entry.Mode;
                copy.Uid = entry.Uid;
                copy.Gid = entry.Gid;
                copy.UserName = (entry as PosixTarEntry)?.UserName ?? "";
                copy.GroupName = (entry as PosixTarEntry)?.GroupName ?? "";
                if (data is not null)
                {
                    copy.DataStream = new MemoryStream(data);
                }

                if (entry.EntryType is TarEntryType.SymbolicLink or TarEntryType.HardLink)
                {
                    copy.LinkName = entry.LinkName;
                }

                writer.WriteEntry(copy);
            }
        }

        var diffId = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(tar.ToArray()));
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            tar.Position = 0;
            tar.CopyTo(gzip);
        }

        return (compressed.ToArray(), diffId);
    }

    private static TarEntryType ToUstar(TarEntryType type) => type == TarEntryType.V7RegularFile ? TarEntryType.RegularFile : type;
}
