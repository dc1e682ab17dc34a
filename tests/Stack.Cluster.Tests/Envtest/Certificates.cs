using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Stack.Cluster.Tests.Envtest;

/// <summary>
/// The PKI of one throwaway control plane, as kubeadm lays it out (and the envtest tool's <c>up</c>
/// script writes it with openssl): a cluster CA with the API server's serving certificate, a
/// front-proxy CA with its client (so the controller-manager's delegated authentication works), and
/// the key pair that signs ServiceAccount tokens. EC P-256 throughout, valid for a day.
/// </summary>
internal sealed class Certificates
{
    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");

    private Certificates(string directory) => Directory = directory;

    public string Directory { get; }

    public string CaCertificate => Path.Combine(Directory, "ca.crt");

    public string CaKey => Path.Combine(Directory, "ca.key");

    public string ServingCertificate => Path.Combine(Directory, "apiserver.crt");

    public string ServingKey => Path.Combine(Directory, "apiserver.key");

    public string FrontProxyCaCertificate => Path.Combine(Directory, "front-proxy-ca.crt");

    public string FrontProxyClientCertificate => Path.Combine(Directory, "front-proxy-client.crt");

    public string FrontProxyClientKey => Path.Combine(Directory, "front-proxy-client.key");

    public string ServiceAccountKey => Path.Combine(Directory, "sa.key");

    public string ServiceAccountPublicKey => Path.Combine(Directory, "sa.pub");

    /// <summary>Generates every certificate and key into <paramref name="directory"/> (created, owner-only).</summary>
    public static Certificates Create(string directory)
    {
        System.IO.Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var certificates = new Certificates(directory);
        var notBefore = DateTimeOffset.UtcNow.AddMinutes(-5);
        var notAfter = notBefore.AddDays(1);

        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var ca = Authority("stack-cluster-tests-ca", caKey, notBefore, notAfter);
        Write(certificates.CaCertificate, ca.ExportCertificatePem());
        Write(certificates.CaKey, caKey.ExportPkcs8PrivateKeyPem());

        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.Parse("10.0.0.1"));
        foreach (var name in new[] { "localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local" })
        {
            names.AddDnsName(name);
        }

        Leaf(certificates.ServingCertificate, certificates.ServingKey, "kube-apiserver", ca, ServerAuthentication, names, notBefore, notAfter);

        using var frontProxyKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var frontProxy = Authority("stack-cluster-tests-front-proxy-ca", frontProxyKey, notBefore, notAfter);
        Write(certificates.FrontProxyCaCertificate, frontProxy.ExportCertificatePem());
        Leaf(certificates.FrontProxyClientCertificate, certificates.FrontProxyClientKey, "front-proxy-client", frontProxy, ClientAuthentication, names: null, notBefore, notAfter);

        using var serviceAccountKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Write(certificates.ServiceAccountKey, serviceAccountKey.ExportPkcs8PrivateKeyPem());
        Write(certificates.ServiceAccountPublicKey, serviceAccountKey.ExportSubjectPublicKeyInfoPem());
        return certificates;
    }

    /// <summary>Whether <paramref name="certificate"/> chains to this control plane's CA (and only to it).</summary>
    public bool IsServedByThisCluster(X509Certificate? certificate)
    {
        if (certificate is null)
        {
            return false;
        }

        using var ca = X509Certificate2.CreateFromPem(File.ReadAllText(CaCertificate));
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        using var served = new X509Certificate2(certificate);
        return chain.Build(served);
    }

    private static X509Certificate2 Authority(string name, ECDsa key, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        return request.CreateSelfSigned(notBefore, notAfter);
    }

    private static void Leaf(string certificatePath, string keyPath, string name, X509Certificate2 issuer, Oid usage, SubjectAlternativeNameBuilder? names, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([usage], critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        if (names is not null)
        {
            request.CertificateExtensions.Add(names.Build());
        }

        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        using var certificate = request.Create(issuer, notBefore, notAfter, serial);
        Write(certificatePath, certificate.ExportCertificatePem());
        Write(keyPath, key.ExportPkcs8PrivateKeyPem());
    }

    private static void Write(string path, string pem)
    {
        File.WriteAllText(path, pem + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}
