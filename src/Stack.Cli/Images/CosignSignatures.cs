using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Stack.Cli.Images;

/// <summary>
/// Image signatures in cosign's format (its SIGNATURE_SPEC), so that <c>cosign verify --key</c> and
/// sigstore's policy-controller accept them, made with System.Security.Cryptography alone:
/// <list type="bullet">
/// <item>the payload is the simple-signing JSON naming the image's manifest digest
/// (<c>critical.image.docker-manifest-digest</c>) and repository (<c>critical.identity.docker-reference</c>);</item>
/// <item>the signature is ECDSA P-256 over the payload's SHA-256, DER-encoded, base64 in the
/// layer annotation <c>dev.cosignproject.cosign/signature</c>;</item>
/// <item>it is stored in the image's repository under the tag <c>sha256-&lt;hex&gt;.sig</c>: an OCI
/// manifest whose layers are payloads (media type <c>application/vnd.dev.cosign.simplesigning.v1+json</c>),
/// one per signature.</item>
/// </list>
/// No transparency log entry is made (verify with <c>cosign verify --key cosign.pub --insecure-ignore-tlog</c>).
/// </summary>
internal static class CosignSignatures
{
    public const string SignatureAnnotation = "dev.cosignproject.cosign/signature";
    public const string PayloadType = "cosign container image signature";

    /// <summary>The tag cosign stores the signatures of <paramref name="digest"/> under.</summary>
    public static string SignatureTag(string digest) => digest.Replace(':', '-') + ".sig";

    /// <summary>The simple-signing payload for the manifest <paramref name="digest"/> of <paramref name="name"/> (host/repository), as cosign writes it.</summary>
    public static byte[] Payload(string name, string digest) => Encoding.UTF8.GetBytes(new JsonObject
    {
        ["critical"] = new JsonObject
        {
            ["identity"] = new JsonObject { ["docker-reference"] = name },
            ["image"] = new JsonObject { ["docker-manifest-digest"] = digest },
            ["type"] = PayloadType,
        },
        ["optional"] = null,
    }.ToJsonString());

    /// <summary>Signs the image <paramref name="image"/> (its tag is resolved to a digest first) and stores the signature; returns the signed digest.</summary>
    public static async Task<string> SignAsync(RegistryClient registry, ImageReference image, ECDsa key, CancellationToken cancellationToken)
    {
        var digest = await ResolveAsync(registry, image, cancellationToken);
        var payload = Payload(image.Name, digest);
        var signature = Convert.ToBase64String(key.SignData(payload, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));

        // Signatures accumulate, as with cosign: keep the ones already there, unless this one is among them.
        var layers = new JsonArray();
        var tag = SignatureTag(digest);
        if (await registry.GetManifestAsync(image.Repository, tag, cancellationToken) is { } existing)
        {
            foreach (var layer in Layers(existing))
            {
                layers.Add(layer.DeepClone());
            }
        }

        var payloadBlob = await registry.PutBlobAsync(image.Repository, payload, MediaTypes.CosignSimpleSigning, cancellationToken);
        if (!layers.OfType<JsonObject>().Any(l => (string?)l["digest"] == payloadBlob.Digest && (string?)l["annotations"]?[SignatureAnnotation] == signature))
        {
            layers.Add(new JsonObject
            {
                ["mediaType"] = MediaTypes.CosignSimpleSigning,
                ["size"] = payloadBlob.Size,
                ["digest"] = payloadBlob.Digest,
                ["annotations"] = new JsonObject { [SignatureAnnotation] = signature },
            });
        }

        // The config cosign writes: one diff_id per layer, the zero time (signatures carry no clock).
        var config = Encoding.UTF8.GetBytes(new JsonObject
        {
            ["architecture"] = "",
            ["created"] = "0001-01-01T00:00:00Z",
            ["history"] = new JsonArray(layers.Select(_ => (JsonNode)new JsonObject { ["created"] = "0001-01-01T00:00:00Z" }).ToArray()),
            ["os"] = "",
            ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = new JsonArray(layers.Select(l => (JsonNode)JsonValue.Create((string)l!["digest"]!)).ToArray()) },
            ["config"] = new JsonObject(),
        }.ToJsonString());
        var configBlob = await registry.PutBlobAsync(image.Repository, config, MediaTypes.OciConfig, cancellationToken);

        var manifest = Encoding.UTF8.GetBytes(new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = MediaTypes.OciManifest,
            ["config"] = Json.Descriptor(configBlob),
            ["layers"] = layers,
        }.ToJsonString());
        await registry.PutManifestAsync(image.Repository, tag, manifest, MediaTypes.OciManifest, cancellationToken);
        return digest;
    }

    /// <summary>
    /// Checks that <paramref name="image"/> (its tag resolved to a digest) carries a signature by
    /// <paramref name="key"/> over a payload naming exactly that digest; returns the verified digest.
    /// </summary>
    /// <exception cref="ImageException">No image, no signature, a signature by another key, or one for another digest.</exception>
    public static async Task<string> VerifyAsync(RegistryClient registry, ImageReference image, ECDsa key, CancellationToken cancellationToken)
    {
        var digest = await ResolveAsync(registry, image, cancellationToken);
        var signatures = await registry.GetManifestAsync(image.Repository, SignatureTag(digest), cancellationToken)
            ?? throw new ImageException($"no signature for {image.Name}@{digest}: sign it with `stack image sign`", rejected: true);

        var problems = new List<string>();
        foreach (var layer in Layers(signatures))
        {
            if ((string?)layer["mediaType"] != MediaTypes.CosignSimpleSigning || (string?)layer["annotations"]?[SignatureAnnotation] is not { } encoded)
            {
                continue;
            }

            var payload = await registry.GetBlobAsync(image.Repository, (string)layer["digest"]!, cancellationToken);
            byte[] signature;
            try
            {
                signature = Convert.FromBase64String(encoded);
            }
            catch (FormatException)
            {
                problems.Add("a signature is not base64");
                continue;
            }

            if (!key.VerifyData(payload, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence))
            {
                problems.Add($"signature does not match key {SigningKeys.Fingerprint(key)}");
                continue;
            }

            var signed = SignedDigest(payload);
            if (signed != digest)
            {
                problems.Add($"the signed payload names {signed ?? "no digest"}, not {digest}: the manifest was changed after signing");
                continue;
            }

            return digest;
        }

        throw new ImageException(problems.Count == 0
            ? $"no signature for {image.Name}@{digest}: its signature manifest holds no cosign payload"
            : $"{image.Name}@{digest} is not verified: {problems.Distinct().First()}", rejected: true);
    }

    /// <summary>The digest <paramref name="image"/> names: its own, or the one its tag points to now.</summary>
    public static async Task<string> ResolveAsync(RegistryClient registry, ImageReference image, CancellationToken cancellationToken)
    {
        var manifest = await registry.GetManifestAsync(image.Repository, image.Reference, cancellationToken)
            ?? throw new ImageException($"no image {image} in the registry at {registry.Registry}", rejected: true);
        return manifest.Digest;
    }

    private static string? SignedDigest(byte[] payload)
    {
        try
        {
            var critical = JsonNode.Parse(payload)?["critical"];
            return (string?)critical?["type"] == PayloadType ? (string?)critical?["image"]?["docker-manifest-digest"] : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static IEnumerable<JsonNode> Layers(StoredManifest manifest) =>
        (JsonNode.Parse(manifest.Content)?["layers"] as JsonArray)?.OfType<JsonNode>() ?? [];
}
