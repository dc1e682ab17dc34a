using System.Security.Cryptography;

namespace Stack.Cli.Images;

/// <summary>
/// The keys of image signatures: ECDSA P-256, the private key as PKCS#8 PEM and the public key as
/// SubjectPublicKeyInfo PEM (what <c>cosign verify --key</c> reads). A key is named as cosign names
/// it: a file path, or <c>env://VARIABLE</c> for a PEM held in an environment variable (a CI secret).
/// Keys come from secrets, never from the repository.
/// </summary>
internal static class SigningKeys
{
    private const string EnvironmentPrefix = "env://";

    /// <summary>The private key named by <paramref name="source"/>.</summary>
    /// <exception cref="ImageException">It is missing, or not an unencrypted ECDSA P-256 private key.</exception>
    public static ECDsa LoadPrivate(string source)
    {
        var pem = Read(source, "signing key");
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
            _ = key.ExportParameters(includePrivateParameters: true);
        }
        catch (Exception exception) when (exception is ArgumentException or CryptographicException)
        {
            key.Dispose();
            throw new ImageException($"the signing key {Describe(source)} is not an unencrypted ECDSA P-256 private key in PEM (PKCS#8)");
        }

        return RequireP256(key, source);
    }

    /// <summary>The public key named by <paramref name="source"/>.</summary>
    /// <exception cref="ImageException">It is missing, holds private key material, or is not an ECDSA P-256 public key.</exception>
    public static ECDsa LoadPublic(string source)
    {
        var pem = Read(source, "public key");
        if (pem.Contains("PRIVATE KEY", StringComparison.Ordinal))
        {
            throw new ImageException($"the public key {Describe(source)} holds a private key: verify with the public key only (cosign.pub)");
        }

        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
        }
        catch (Exception exception) when (exception is ArgumentException or CryptographicException)
        {
            key.Dispose();
            throw new ImageException($"the public key {Describe(source)} is not an ECDSA P-256 public key in PEM (SubjectPublicKeyInfo)");
        }

        return RequireP256(key, source);
    }

    /// <summary>A new key pair as (private PKCS#8 PEM, public SPKI PEM).</summary>
    public static (string PrivateKey, string PublicKey) Generate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return (key.ExportPkcs8PrivateKeyPem() + "\n", key.ExportSubjectPublicKeyInfoPem() + "\n");
    }

    /// <summary>The public key of <paramref name="key"/> as SPKI PEM.</summary>
    public static string PublicPem(ECDsa key) => key.ExportSubjectPublicKeyInfoPem() + "\n";

    /// <summary>A short fingerprint of a public key (sha256 of its DER, first 16 hex digits), for messages.</summary>
    public static string Fingerprint(ECDsa key) => Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()))[..16];

    private static ECDsa RequireP256(ECDsa key, string source)
    {
        var curve = key.ExportParameters(includePrivateParameters: false).Curve.Oid;
        if (key.KeySize != 256 || !(curve.Value == "1.2.840.10045.3.1.7" || curve.FriendlyName is "nistP256" or "ECDSA_P256" or "secp256r1" or "prime256v1"))
        {
            key.Dispose();
            throw new ImageException($"the key {Describe(source)} is not on curve P-256, which cosign signatures use");
        }

        return key;
    }

    private static string Read(string source, string what)
    {
        if (source.StartsWith(EnvironmentPrefix, StringComparison.Ordinal))
        {
            var variable = source[EnvironmentPrefix.Length..];
            return Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
                ? value
                : throw new ImageException($"no {what}: the environment variable {variable} is not set");
        }

        return File.Exists(source)
            ? File.ReadAllText(source)
            : throw new ImageException($"no {what}: the file {source} does not exist");
    }

    private static string Describe(string source) => source.StartsWith(EnvironmentPrefix, StringComparison.Ordinal) ? $"in {source[EnvironmentPrefix.Length..]}" : source;
}
