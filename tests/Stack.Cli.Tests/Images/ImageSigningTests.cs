using System.Text.Json.Nodes;

namespace Stack.Cli.Tests.Images;

/// <summary>
/// `stack image sign` and `stack image verify`, run as real processes against a real registry:
/// signatures in cosign's format, and every way a verification must fail, each one sentence.
/// </summary>
public sealed class ImageSigningTests(LocalRegistry registry) : IClassFixture<LocalRegistry>, IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);
    private readonly TemporaryDirectory _keys = new();

    private string PrivateKey => Path.Combine(_keys.Path, "cosign.key");

    private string PublicKey => Path.Combine(_keys.Path, "cosign.pub");

    public void Dispose() => _keys.Dispose();

    internal static Task<CommandLine.Result> StackAsync(params string[] args) => StackAsync(new Dictionary<string, string>(), args);

    internal static Task<CommandLine.Result> StackAsync(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        CommandLine.RunAsync(Path.GetTempPath(), environment, Timeout, "dotnet", [Repository.Cli, .. args]);

    private async Task KeygenAsync(string folder)
    {
        var result = await StackAsync("image", "keygen", "--output", folder);
        Assert.True(result.ExitCode == 0, result.AllOutput);
    }

    private static void AssertOneSentence(CommandLine.Result result, int exitCode, string message)
    {
        Assert.Equal(exitCode, result.ExitCode);
        var line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("stack: ", line);
        Assert.Contains(message, line);
        Assert.DoesNotContain("   at ", result.AllOutput);
    }

    [Fact]
    public async Task ASignedImageVerifiesWithItsPublicKeyAndNamesItsDigest()
    {
        await KeygenAsync(_keys.Path);
        var image = await registry.PushImageAsync("games/round-trip", "1.0.0");
        var digest = await registry.DigestAsync("games/round-trip", "1.0.0");

        var signed = await StackAsync("image", "sign", image, "--key", PrivateKey);
        var verified = await StackAsync("image", "verify", image, "--key", PublicKey);

        Assert.True(signed.ExitCode == 0, signed.AllOutput);
        Assert.True(verified.ExitCode == 0, verified.AllOutput);
        Assert.Contains($"verified {image}@{digest}", verified.StandardOutput);
        Assert.Equal("", verified.StandardError);
    }

    [Fact]
    public async Task TheKeyMayComeFromAnEnvironmentVariable()
    {
        await KeygenAsync(_keys.Path);
        var image = await registry.PushImageAsync("games/env-key", "1.0.0");
        var secrets = new Dictionary<string, string>
        {
            ["TEST_SIGNING_KEY"] = await File.ReadAllTextAsync(PrivateKey, TestContext.Current.CancellationToken),
            ["TEST_PUBLIC_KEY"] = await File.ReadAllTextAsync(PublicKey, TestContext.Current.CancellationToken),
        };

        Assert.Equal(0, (await StackAsync(secrets, "image", "sign", image, "--key", "env://TEST_SIGNING_KEY")).ExitCode);
        Assert.Equal(0, (await StackAsync(secrets, "image", "verify", image, "--key", "env://TEST_PUBLIC_KEY")).ExitCode);
    }

    [Fact]
    public async Task TheSignatureIsCosignsSimpleSigningPayloadUnderTheSigTagAndOpensslVerifiesIt()
    {
        await KeygenAsync(_keys.Path);
        var image = await registry.PushImageAsync("games/openssl", "2.0.0");
        var digest = await registry.DigestAsync("games/openssl", "2.0.0");
        Assert.Equal(0, (await StackAsync("image", "sign", image, "--key", PrivateKey)).ExitCode);

        // cosign's SIGNATURE_SPEC: tag sha256-<hex>.sig, a layer per signature holding the payload.
        var manifest = await registry.ManifestAsync("games/openssl", digest.Replace(':', '-') + ".sig");
        var layer = Assert.Single(manifest["layers"]!.AsArray())!;
        Assert.Equal("application/vnd.dev.cosign.simplesigning.v1+json", (string?)layer["mediaType"]);
        var signature = Convert.FromBase64String((string)layer["annotations"]!["dev.cosignproject.cosign/signature"]!);
        var payload = await registry.BlobAsync("games/openssl", (string)layer["digest"]!);
        var critical = JsonNode.Parse(payload)!["critical"]!;
        Assert.Equal(digest, (string?)critical["image"]!["docker-manifest-digest"]);
        Assert.Equal($"{registry.Host}/games/openssl", (string?)critical["identity"]!["docker-reference"]);
        Assert.Equal("cosign container image signature", (string?)critical["type"]);

        // What cosign does with --key: ECDSA P-256 over the payload's SHA-256, the signature DER-encoded.
        using var files = new TemporaryDirectory();
        await File.WriteAllBytesAsync(Path.Combine(files.Path, "payload"), payload, TestContext.Current.CancellationToken);
        await File.WriteAllBytesAsync(Path.Combine(files.Path, "sig.der"), signature, TestContext.Current.CancellationToken);
        var openssl = await CommandLine.RunAsync(files.Path, new Dictionary<string, string>(), Timeout,
            "openssl", "dgst", "-sha256", "-verify", PublicKey, "-signature", "sig.der", "payload");
        Assert.True(openssl.ExitCode == 0, openssl.AllOutput);
        Assert.Contains("Verified OK", openssl.StandardOutput);
    }

    [Fact]
    public async Task AnUnsignedImageIsRefused()
    {
        await KeygenAsync(_keys.Path);
        var image = await registry.PushImageAsync("games/unsigned", "1.0.0");

        var result = await StackAsync("image", "verify", image, "--key", PublicKey);

        AssertOneSentence(result, 1, "no signature for");
    }

    [Fact]
    public async Task AManifestChangedAfterSigningIsRefused()
    {
        await KeygenAsync(_keys.Path);
        var image = await registry.PushImageAsync("games/tampered", "1.0.0");
        Assert.Equal(0, (await StackAsync("image", "sign", image, "--key", PrivateKey)).ExitCode);

        // Someone pushes another manifest under the signed tag: its digest has no signature.
        await registry.PushImageAsync("games/tampered", "1.0.0");
        var result = await StackAsync("image", "verify", image, "--key", PublicKey);

        AssertOneSentence(result, 1, "no signature for");
    }

    [Fact]
    public async Task ASignatureCopiedFromAnotherImageIsRefused()
    {
        await KeygenAsync(_keys.Path);
        var signed = await registry.PushImageAsync("games/copied", "signed");
        var other = await registry.PushImageAsync("games/copied", "other");
        var signedDigest = await registry.DigestAsync("games/copied", "signed");
        var otherDigest = await registry.DigestAsync("games/copied", "other");
        Assert.Equal(0, (await StackAsync("image", "sign", signed, "--key", PrivateKey)).ExitCode);

        await registry.CopyAsync("games/copied", signedDigest.Replace(':', '-') + ".sig", otherDigest.Replace(':', '-') + ".sig");
        var result = await StackAsync("image", "verify", other, "--key", PublicKey);

        AssertOneSentence(result, 1, $"names {signedDigest}, not {otherDigest}");
    }

    [Fact]
    public async Task AnotherKeysPublicKeyIsRefused()
    {
        await KeygenAsync(_keys.Path);
        using var other = new TemporaryDirectory();
        await KeygenAsync(other.Path);
        var image = await registry.PushImageAsync("games/wrong-key", "1.0.0");
        Assert.Equal(0, (await StackAsync("image", "sign", image, "--key", PrivateKey)).ExitCode);

        var result = await StackAsync("image", "verify", image, "--key", Path.Combine(other.Path, "cosign.pub"));

        AssertOneSentence(result, 1, "signature does not match key");
    }

    [Fact]
    public async Task ARegistryThatIsDownIsOneSentenceAndExitCodeTwo()
    {
        await KeygenAsync(_keys.Path);

        var verify = await StackAsync("image", "verify", $"{LocalRegistry.Down}/games/api:1.0.0", "--key", PublicKey);
        var sign = await StackAsync("image", "sign", $"{LocalRegistry.Down}/games/api:1.0.0", "--key", PrivateKey);

        AssertOneSentence(verify, 2, $"registry at {LocalRegistry.Down} is not reachable");
        AssertOneSentence(sign, 2, $"registry at {LocalRegistry.Down} is not reachable");
    }

    [Theory]
    [InlineData("env://STACK_TEST_NO_SUCH_KEY", "the environment variable STACK_TEST_NO_SUCH_KEY is not set")]
    [InlineData("/nonexistent/cosign.key", "the file /nonexistent/cosign.key does not exist")]
    public async Task AMissingKeyIsOneSentenceAndExitCodeTwo(string key, string message)
    {
        var image = await registry.PushImageAsync("games/no-key", "1.0.0");

        var result = await StackAsync("image", "sign", image, "--key", key);

        AssertOneSentence(result, 2, message);
    }

    [Fact]
    public async Task APrivateKeyIsNotAcceptedWhereThePublicKeyBelongs()
    {
        await KeygenAsync(_keys.Path);
        var image = await registry.PushImageAsync("games/private-as-public", "1.0.0");

        var result = await StackAsync("image", "verify", image, "--key", PrivateKey);

        AssertOneSentence(result, 2, "holds a private key");
    }

    [Fact]
    public async Task TheSbomIsAttachedAsAnArtifactReferringToTheImage()
    {
        var image = await registry.PushImageAsync("games/sbom", "1.0.0");
        var digest = await registry.DigestAsync("games/sbom", "1.0.0");
        using var files = new TemporaryDirectory();
        var sbom = Path.Combine(files.Path, "sbom.cdx.json");
        await File.WriteAllTextAsync(sbom, """{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": []}""", TestContext.Current.CancellationToken);

        var result = await StackAsync("image", "attach-sbom", image, sbom, "--source-date-epoch", "1764460800");

        Assert.True(result.ExitCode == 0, result.AllOutput);
        // docker-registry 2.8 serves no referrers API: the referrers tag schema indexes it.
        var index = await registry.ManifestAsync("games/sbom", digest.Replace(':', '-'));
        var referrer = Assert.Single(index["manifests"]!.AsArray())!;
        Assert.Equal("application/vnd.cyclonedx+json", (string?)referrer["artifactType"]);
        var artifact = await registry.ManifestAsync("games/sbom", (string)referrer["digest"]!);
        Assert.Equal(digest, (string?)artifact["subject"]!["digest"]);
        Assert.Equal("2025-11-30T00:00:00Z", (string?)artifact["annotations"]!["org.opencontainers.image.created"]);
        var layer = Assert.Single(artifact["layers"]!.AsArray())!;
        Assert.Equal("CycloneDX", (string?)JsonNode.Parse(await registry.BlobAsync("games/sbom", (string)layer["digest"]!))!["bomFormat"]);
    }
}
