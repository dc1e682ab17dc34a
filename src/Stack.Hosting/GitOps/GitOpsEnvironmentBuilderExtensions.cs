using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Pipelines;
using Stack.GitOps;
using Stack.Hosting.GitOps;
using Stack.Hosting.GitOps.Publishing;
using Stack.Policy;

namespace Aspire.Hosting;

/// <summary>Declares where and how the graph is deployed through git and Argo CD.</summary>
public static class GitOpsEnvironmentBuilderExtensions
{
    /// <summary>
    /// Adds the GitOps environment. <c>aspire publish -o infra/deploy</c> renders every project and
    /// container of the graph to Kubernetes manifests, one kustomize overlay per environment
    /// (<c>dev</c>, <c>staging</c>, <c>prod</c> unless <see cref="WithDeployEnvironment"/> names others)
    /// and Argo CD applications. In run mode the dashboard shows it with a command that checks
    /// whether the committed tree is up to date.
    /// </summary>
    /// <param name="builder">The distributed application builder.</param>
    /// <param name="name">The resource name, e.g. <c>gitops</c>.</param>
    /// <param name="partOf">The application name: label <c>app.kubernetes.io/part-of</c>, Argo CD project, namespace prefix.</param>
    public static IResourceBuilder<GitOpsEnvironmentResource> AddGitOpsEnvironment(this IDistributedApplicationBuilder builder, [ResourceName] string name, string partOf = "stack")
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(partOf);

        var resource = new GitOpsEnvironmentResource(name) { PartOf = partOf, RepositoryRoot = Stack.GitOps.RepositoryRoot.OfAppHost(builder.AppHostDirectory) };
        var result = builder.AddResource(resource).ExcludeFromManifest();

        result.WithAnnotation(new PipelineStepAnnotation(_ => new PipelineStep
        {
            Name = $"publish-{name}",
            Description = $"Renders Kubernetes manifests, kustomize overlays and Argo CD applications for '{name}'.",
            Action = context => PublishStep.RunAsync(resource, context),
            DependsOnSteps = [WellKnownPipelineSteps.PublishPrereq],
            RequiredBySteps = [WellKnownPipelineSteps.Publish],
            Resource = resource,
        }));

        if (builder.ExecutionContext.IsRunMode)
        {
            result.WithDriftCheckCommand();
        }

        return result;
    }

    /// <summary>Sets the git repository, revision and folder Argo CD syncs from.</summary>
    public static IResourceBuilder<GitOpsEnvironmentResource> WithArgoCd(this IResourceBuilder<GitOpsEnvironmentResource> builder, string repositoryUrl, string path = DeployTree.DefaultRepositoryPath, string revision = "main")
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(repositoryUrl);
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentException.ThrowIfNullOrEmpty(revision);

        builder.Resource.RepositoryUrl = repositoryUrl;
        builder.Resource.RepositoryPath = path.Trim('/');
        builder.Resource.Revision = revision;
        return builder;
    }

    /// <summary>Sets the registry the images of projects are pulled from (a parameter, so CI can set it).</summary>
    public static IResourceBuilder<GitOpsEnvironmentResource> WithImageRegistry(this IResourceBuilder<GitOpsEnvironmentResource> builder, IResourceBuilder<ParameterResource> registry)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(registry);

        builder.Resource.ImageRegistry = registry.Resource;
        return builder;
    }

    /// <summary>
    /// Admits only signed images of ours: publish renders a sigstore policy-controller
    /// <c>ClusterImagePolicy</c> (in <c>admission/</c>, synced by its own Argo CD Application before the
    /// environments) requiring a cosign signature by this key on every image under the image registry,
    /// and labels the environments' namespaces for the controller. <paramref name="publicKeyPath"/> is
    /// the public key (SubjectPublicKeyInfo PEM, <c>stack image keygen</c>'s cosign.pub) relative to the
    /// repository; the private key stays a CI secret.
    /// </summary>
    /// <exception cref="ArgumentException">The file is missing, holds private key material, or is not an ECDSA P-256 public key.</exception>
    public static IResourceBuilder<GitOpsEnvironmentResource> WithImageSigning(this IResourceBuilder<GitOpsEnvironmentResource> builder, string publicKeyPath = "infra/signing/cosign.pub")
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(publicKeyPath);

        var path = Path.Combine(builder.Resource.RepositoryRoot, publicKeyPath);
        if (!File.Exists(path))
        {
            throw new ArgumentException($"WithImageSigning: no public key at {publicKeyPath} (make a pair with `stack image keygen`, commit cosign.pub, keep cosign.key a CI secret).", nameof(publicKeyPath));
        }

        var pem = File.ReadAllText(path).ReplaceLineEndings("\n");
        if (pem.Contains("PRIVATE KEY", StringComparison.Ordinal))
        {
            throw new ArgumentException($"WithImageSigning: {publicKeyPath} holds a private key; publish only ever renders the public key (cosign.pub).", nameof(publicKeyPath));
        }

        using (var key = System.Security.Cryptography.ECDsa.Create())
        {
            try
            {
                key.ImportFromPem(pem);
            }
            catch (Exception exception) when (exception is ArgumentException or System.Security.Cryptography.CryptographicException)
            {
                throw new ArgumentException($"WithImageSigning: {publicKeyPath} is not an ECDSA public key in PEM (SubjectPublicKeyInfo).", nameof(publicKeyPath), exception);
            }

            if (key.KeySize != 256)
            {
                throw new ArgumentException($"WithImageSigning: {publicKeyPath} is not a P-256 key, which cosign signatures use.", nameof(publicKeyPath));
            }

            builder.Resource.SigningPublicKey = key.ExportSubjectPublicKeyInfoPem() + "\n";
        }

        builder.Resource.SigningPublicKeyPath = publicKeyPath;
        return builder;
    }

    /// <summary>
    /// Pins a third-party image by digest: wherever the graph runs <paramref name="image"/>
    /// (<c>name:tag</c>, e.g. <c>docker.io/library/redis:8.2.1</c>), publish renders
    /// <c>name:tag@</c><paramref name="digest"/>, which staging and prod require (policy
    /// <c>stack-image-digests</c>). Take the digest of the image's index from the registry
    /// (<c>skopeo inspect --format '{{.Digest}}' docker://name:tag</c>) and change both together.
    /// </summary>
    public static IResourceBuilder<GitOpsEnvironmentResource> WithImageDigest(this IResourceBuilder<GitOpsEnvironmentResource> builder, string image, string digest)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(image);
        ArgumentException.ThrowIfNullOrEmpty(digest);
        if (!System.Text.RegularExpressions.Regex.IsMatch(digest, "^sha256:[0-9a-f]{64}$"))
        {
            throw new ArgumentException($"'{digest}' is not an image digest: give sha256:<64 hex digits>.", nameof(digest));
        }

        if (image.LastIndexOf(':') <= image.LastIndexOf('/') || image.Contains('@', StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{image}' names no tag: give the name:tag the graph runs, e.g. docker.io/library/redis:8.2.1.", nameof(image));
        }

        builder.Resource.ImageDigests[image] = digest;
        return builder;
    }

    /// <summary>
    /// Adds an environment (an overlay and an Argo CD application), in promotion order; its
    /// namespace is <c>&lt;partOf&gt;-&lt;name&gt;</c> unless <paramref name="configure"/> changes it.
    /// </summary>
    public static IResourceBuilder<GitOpsEnvironmentResource> WithDeployEnvironment(this IResourceBuilder<GitOpsEnvironmentResource> builder, string name, Action<DeployEnvironment>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);

        builder.Resource.AddEnvironment(name, configure);
        return builder;
    }

    /// <summary>
    /// Fills the Secret every secret value is read from through the External Secrets Operator, from
    /// the ClusterSecretStore <paramref name="clusterSecretStore"/> (keys <c>&lt;partOf&gt;/&lt;env&gt;/&lt;parameter&gt;</c>).
    /// Without it, create the Secret by hand (see the README).
    /// </summary>
    public static IResourceBuilder<GitOpsEnvironmentResource> WithExternalSecrets(this IResourceBuilder<GitOpsEnvironmentResource> builder, string clusterSecretStore)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(clusterSecretStore);

        builder.Resource.ExternalSecretStore = clusterSecretStore;
        return builder;
    }

    /// <summary>Ships the admission policies in <paramref name="path"/> (relative to the repository) with Argo CD, before anything else.</summary>
    public static IResourceBuilder<GitOpsEnvironmentResource> WithPolicies(this IResourceBuilder<GitOpsEnvironmentResource> builder, string path = PolicySet.DefaultRepositoryPath)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(path);

        builder.Resource.PoliciesPath = path.Trim('/');
        return builder;
    }

    /// <summary>Sets the in-cluster OpenTelemetry collector services export to (OTLP over gRPC).</summary>
    public static IResourceBuilder<GitOpsEnvironmentResource> WithOtlpCollector(this IResourceBuilder<GitOpsEnvironmentResource> builder, Uri endpoint)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(endpoint);

        builder.Resource.OtlpCollector = endpoint;
        return builder;
    }

    /// <summary>
    /// Says where the cluster's Prometheus (Prometheus Operator) lives: the address blue-green
    /// analyses query, the namespace it scrapes from (the only source the management ports accept),
    /// and the label its <c>serviceMonitorSelector</c> and <c>ruleSelector</c> match, as
    /// <c>key=value</c>. An environment may change the address and the label with <c>WithMonitoring(...)</c>.
    /// </summary>
    public static IResourceBuilder<GitOpsEnvironmentResource> WithMonitoring(this IResourceBuilder<GitOpsEnvironmentResource> builder, Uri? prometheusAddress = null, string? monitoringNamespace = null, string? selectorLabel = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (monitoringNamespace is not null && !KubernetesNames.IsDnsLabel(monitoringNamespace))
        {
            throw new ArgumentException($"Monitoring namespace '{monitoringNamespace}' must be a DNS label.", nameof(monitoringNamespace));
        }

        builder.Resource.PrometheusAddress = prometheusAddress ?? builder.Resource.PrometheusAddress;
        builder.Resource.MonitoringNamespace = monitoringNamespace ?? builder.Resource.MonitoringNamespace;
        builder.Resource.PrometheusSelector = selectorLabel is null ? builder.Resource.PrometheusSelector : KubernetesNames.ParseLabel(selectorLabel, nameof(selectorLabel));
        return builder;
    }

    /// <summary>
    /// Sets the domain of default host names (<c>&lt;resource&gt;.&lt;env&gt;.&lt;domain&gt;</c>), the ingress
    /// class, the controller's namespace (the only source external endpoints accept) and the
    /// cert-manager ClusterIssuer of their TLS certificates; an environment may change the last three.
    /// </summary>
    public static IResourceBuilder<GitOpsEnvironmentResource> WithIngress(this IResourceBuilder<GitOpsEnvironmentResource> builder, string domain, string ingressClass = "nginx", string controllerNamespace = "ingress-nginx", string clusterIssuer = "letsencrypt")
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(domain);
        ArgumentException.ThrowIfNullOrEmpty(ingressClass);
        ArgumentException.ThrowIfNullOrEmpty(controllerNamespace);
        ArgumentException.ThrowIfNullOrEmpty(clusterIssuer);

        builder.Resource.Domain = domain;
        builder.Resource.IngressClass = ingressClass;
        builder.Resource.IngressControllerNamespace = controllerNamespace;
        builder.Resource.TlsClusterIssuer = clusterIssuer;
        return builder;
    }
}
