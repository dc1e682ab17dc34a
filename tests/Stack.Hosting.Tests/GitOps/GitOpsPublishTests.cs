using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using k8s.Models;
using Stack.Hosting.LocalInfrastructure;

namespace Stack.Hosting.Tests.GitOps;

/// <summary>What `aspire publish` writes for small graphs, read back through typed Kubernetes models.</summary>
public sealed class GitOpsPublishTests
{
    internal const string ServerKey = "server-key-value-7f3a9c2e11d84b0f";

    /// <summary>A game API that uses Redis and PostgreSQL, like ours, plus one secret of its own; publish is gated by the real policies.</summary>
    internal static void GameGraph(IDistributedApplicationBuilder builder)
    {
        Assert.True(builder.TryChooseLocalInfrastructure(out var infrastructure, out var problem), problem);
        var cache = infrastructure.AddRedis("cache");
        var db = infrastructure.AddPostgres("postgres").AddDatabase("scores");
        var key = builder.AddParameter("server-key", secret: true);
        var api = builder.AddProject("api", PublishedGraph.LeaderboardApiProject)
            .WithReference(cache).WaitFor(cache)
            .WithReference(db).WaitFor(db)
            .WithEnvironment("Leaderboard__ServerKey", key)
            .WithExternalHttpEndpoints()
            .PublishAsKubernetes(kubernetes => kubernetes.MigrationArgs = ["migrate"]);
        builder.AddGitOpsEnvironment("gitops")
            .WithImageRegistry(builder.AddParameter("registry", "ghcr.io/stack-games"))
            .WithExternalSecrets("vault")
            .WithPolicies("infra/policies")
            .WithDeployEnvironment("dev", dev => dev.WithReplicas(api, 1))
            .WithDeployEnvironment("prod", prod => prod.WithReplicas(api, 4).WithSize(api, "500m", "2", "512Mi", "2Gi"));
    }

    internal static async Task<List<object>> PublishGameGraphAsync(string output)
    {
        await PublishedGraph.PublishAsync(output, GameGraph, $"--Parameters:server-key={ServerKey}");
        return TypedManifests.LoadFolder(Path.Combine(output, "base"));
    }

    private static T Single<T>(IEnumerable<object> objects, string name) where T : IMetadata<V1ObjectMeta> =>
        Assert.Single(objects.OfType<T>(), o => o.Metadata.Name == name);

    [Fact]
    public async Task AProjectBecomesAHardenedDeploymentProbedOnAliveAndHealth()
    {
        using var output = new TemporaryDirectory();
        var objects = await PublishGameGraphAsync(output.Path);

        var deployment = Single<V1Deployment>(objects, "api");
        var pod = deployment.Spec.Template.Spec;
        var container = Assert.Single(pod.Containers);

        // The tag is promotion's: the base names the image, each environment's component pins it.
        Assert.Equal("ghcr.io/stack-games/api", container.Image);
        Assert.Equal("/alive", container.LivenessProbe.HttpGet.Path);
        Assert.Equal("/alive", container.StartupProbe.HttpGet.Path);
        Assert.Equal("/health", container.ReadinessProbe.HttpGet.Path);
        Assert.Equal("http", container.ReadinessProbe.HttpGet.Port.Value);
        // The public port, and the management port where Prometheus scrapes /metrics.
        Assert.Equal([("http", 8080), ("management", 9464)], container.Ports.Select(p => (p.Name, p.ContainerPort)));

        Assert.Equal(new ResourceQuantity("100m"), container.Resources.Requests["cpu"]);
        Assert.Equal(new ResourceQuantity("512Mi"), container.Resources.Limits["memory"]);

        Assert.True(pod.SecurityContext.RunAsNonRoot);
        Assert.Equal("RuntimeDefault", pod.SecurityContext.SeccompProfile.Type);
        Assert.False(pod.AutomountServiceAccountToken);
        Assert.False(container.SecurityContext.AllowPrivilegeEscalation);
        Assert.True(container.SecurityContext.ReadOnlyRootFilesystem);
        Assert.Equal(["ALL"], container.SecurityContext.Capabilities.Drop);

        var labels = deployment.Spec.Template.Metadata.Labels;
        Assert.Equal("api", labels["app.kubernetes.io/name"]);
        Assert.Equal("stack", labels["app.kubernetes.io/part-of"]);
        Assert.False(Single<V1ServiceAccount>(objects, "api").AutomountServiceAccountToken);

        // Telemetry goes to the in-cluster collector; the API talks plain HTTP on its Service port.
        var config = Single<V1ConfigMap>(objects, "api-config").Data;
        Assert.StartsWith("http://otel-collector.", config["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        Assert.Equal("8080;9464", config["ASPNETCORE_HTTP_PORTS"]);
        Assert.Equal("8080;9464", config["HTTP_PORTS"]);
        Assert.Equal("9464", config["Management__Port"]);

        // Autoscaled: the HorizontalPodAutoscaler owns replicas, a disruption budget guards drains.
        Assert.Null(deployment.Spec.Replicas);
        Assert.Equal("api", Single<V2HorizontalPodAutoscaler>(objects, "api").Spec.ScaleTargetRef.Name);
        Assert.Equal("1", Single<V1PodDisruptionBudget>(objects, "api").Spec.MaxUnavailable.Value);
    }

    [Fact]
    public async Task DataStoresBecomeStatefulSetsThatClaimAVolumeAndStartBeforeTheApi()
    {
        using var output = new TemporaryDirectory();
        var objects = await PublishGameGraphAsync(output.Path);

        foreach (var (name, image, mount) in new[] { ("cache", $"docker.io/library/redis:{PinnedImageTags.Redis}", "/data"), ("postgres", $"docker.io/library/postgres:{PinnedImageTags.Postgres}", "/var/lib/postgresql/data") })
        {
            var set = Single<V1StatefulSet>(objects, name);
            var container = Assert.Single(set.Spec.Template.Spec.Containers);
            Assert.Equal(image, container.Image);
            var claim = Assert.Single(set.Spec.VolumeClaimTemplates);
            Assert.Contains(container.VolumeMounts, m => m.Name == claim.Metadata.Name && m.MountPath == mount);
            Assert.NotNull(container.LivenessProbe);
            Assert.NotNull(container.ReadinessProbe);
            Assert.Equal("0", set.Metadata.Annotations["argocd.argoproj.io/sync-wave"]);
        }

        Assert.Equal("2", Single<V1Deployment>(objects, "api").Metadata.Annotations["argocd.argoproj.io/sync-wave"]);

        // The database the graph declares is created when PostgreSQL initialises its volume.
        Assert.Contains("CREATE DATABASE \"scores\";", Single<V1ConfigMap>(objects, "postgres-files").Data.Values.Single());
    }

    [Fact]
    public async Task MigrationsRunAsAJobBetweenTheDataStoresAndTheApiWithTheApisImageAndSecrets()
    {
        using var output = new TemporaryDirectory();
        var objects = await PublishGameGraphAsync(output.Path);

        var job = Single<V1Job>(objects, "api-migrate");
        Assert.Equal("1", job.Metadata.Annotations["argocd.argoproj.io/sync-wave"]);
        Assert.Equal("Sync", job.Metadata.Annotations["argocd.argoproj.io/hook"]);
        Assert.Equal("BeforeHookCreation", job.Metadata.Annotations["argocd.argoproj.io/hook-delete-policy"]);
        Assert.Equal("Never", job.Spec.Template.Spec.RestartPolicy);

        var migrate = Assert.Single(job.Spec.Template.Spec.Containers);
        var api = Single<V1Deployment>(objects, "api").Spec.Template.Spec.Containers[0];
        Assert.Equal(["migrate"], migrate.Args);
        Assert.Equal(api.Image, migrate.Image);
        Assert.Equal(api.Env.Select(e => e.Name), migrate.Env.Select(e => e.Name));
        Assert.Null(migrate.ReadinessProbe);
        Assert.Null(migrate.Ports);

        // Its pods are not the API's (no Service routes to them), but reach what the API reaches.
        Assert.Equal("api-migrate", job.Spec.Template.Metadata.Labels["app.kubernetes.io/name"]);
        var postgres = objects.OfType<V1NetworkPolicy>().Single(p => p.Metadata.Name == "postgres");
        Assert.Equal(["api", "api-migrate"], Assert.Single(postgres.Spec.Ingress).FromProperty.Select(peer => peer.PodSelector.MatchLabels["app.kubernetes.io/name"]));
        var own = objects.OfType<V1NetworkPolicy>().Single(p => p.Metadata.Name == "api-migrate");
        Assert.Empty(own.Spec.Ingress ?? []);
        Assert.Contains(own.Spec.Egress, rule => rule.To.Any(peer => peer.PodSelector?.MatchLabels?["app.kubernetes.io/name"] == "postgres"));
    }

    [Fact]
    public async Task SecretsAreReferencedFromTheSecretAndTheirValuesAppearNowhere()
    {
        using var output = new TemporaryDirectory();
        var objects = await PublishGameGraphAsync(output.Path);

        var env = Single<V1Deployment>(objects, "api").Spec.Template.Spec.Containers[0].Env;
        var serverKey = Assert.Single(env, e => e.Name == "Leaderboard__ServerKey");
        Assert.Null(serverKey.Value);
        Assert.Equal(("stack-secrets", "server-key"), (serverKey.ValueFrom.SecretKeyRef.Name, serverKey.ValueFrom.SecretKeyRef.Key));

        // A connection string keeps its shape; the password is expanded by Kubernetes from the Secret.
        var cache = Assert.Single(env, e => e.Name == "ConnectionStrings__cache");
        Assert.Equal("cache:6379,password=$(STACK_SECRET_CACHE_PASSWORD)", cache.Value);
        var password = Assert.Single(env, e => e.Name == "STACK_SECRET_CACHE_PASSWORD");
        Assert.Equal("cache-password", password.ValueFrom.SecretKeyRef.Key);
        Assert.True(env.IndexOf(password) < env.IndexOf(cache), "A variable must be declared before the one that expands it.");

        Assert.DoesNotContain(objects, o => o is V1Secret);
        foreach (var file in Directory.EnumerateFiles(output.Path, "*", SearchOption.AllDirectories))
        {
            Assert.DoesNotContain(ServerKey, await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken));
        }
    }

    [Fact]
    public async Task ASecretPassedAsAnArgumentIsExpandedFromTheSecretToo()
    {
        using var output = new TemporaryDirectory();
        await PublishedGraph.PublishAsync(output.Path, builder =>
        {
            var token = builder.AddParameter("worker-token", secret: true);
            builder.AddContainer("worker", "docker.io/library/nginx", "1.27.2")
                .WithEndpoint(targetPort: 8080, name: "web", scheme: "http")
                .WithArgs(context => context.Args.Add(ReferenceExpression.Create($"--token={token.Resource}")));
            builder.AddGitOpsEnvironment("gitops").WithExternalSecrets("vault");
        }, "--Parameters:worker-token=token-value-3e9d1a77");

        var container = Assert.Single(TypedManifests.LoadFolder(Path.Combine(output.Path, "base")).OfType<V1Deployment>()).Spec.Template.Spec.Containers[0];
        Assert.Equal(["--token=$(STACK_SECRET_WORKER_TOKEN)"], container.Args);
        Assert.Equal("worker-token", Assert.Single(container.Env, e => e.Name == "STACK_SECRET_WORKER_TOKEN").ValueFrom.SecretKeyRef.Key);

        // The environment's Secret is filled with that key as well.
        var secret = TypedManifests.LoadFile(Path.Combine(output.Path, "overlays", "dev", "externalsecret.yaml")).OfType<ArgoCd.ExternalSecret>().Single();
        Assert.Equal(["worker-token"], secret.Spec.Data.Select(d => d.SecretKey));
        Assert.DoesNotContain("token-value-3e9d1a77", string.Join('\n', Directory.EnumerateFiles(output.Path, "*", SearchOption.AllDirectories).Select(File.ReadAllText)));
    }

    [Fact]
    public async Task EachReferenceOpensOneEgressRuleOnItsSourceAndOneIngressRuleOnItsTarget()
    {
        using var output = new TemporaryDirectory();
        var objects = await PublishGameGraphAsync(output.Path);
        var policies = objects.OfType<V1NetworkPolicy>().ToDictionary(p => p.Metadata.Name);

        var deny = policies["default-deny"].Spec;
        Assert.Empty(deny.PodSelector.MatchLabels ?? new Dictionary<string, string>());
        Assert.Equal(["Ingress", "Egress"], deny.PolicyTypes);
        Assert.Empty(deny.Ingress ?? []);
        Assert.Empty(deny.Egress ?? []);

        var api = policies["api"].Spec;
        var toCache = Assert.Single(api.Egress, r => r.To.Any(p => p.PodSelector?.MatchLabels?["app.kubernetes.io/name"] == "cache"));
        Assert.Equal("6379", Assert.Single(toCache.Ports).Port.Value);
        Assert.Single(api.Egress, r => r.To.Any(p => p.PodSelector?.MatchLabels?["app.kubernetes.io/name"] == "postgres"));

        var cacheIngress = Assert.Single(policies["cache"].Spec.Ingress);
        Assert.Equal(["api", "api-migrate"], cacheIngress.FromProperty.Select(peer => peer.PodSelector.MatchLabels["app.kubernetes.io/name"]));
        Assert.Equal("6379", Assert.Single(cacheIngress.Ports).Port.Value);

        // Data stores reach nothing; nothing but the API reaches them.
        Assert.Empty(policies["cache"].Spec.Egress ?? []);
        Assert.Equal(["api", "api-migrate"], Assert.Single(policies["postgres"].Spec.Ingress).FromProperty.Select(peer => peer.PodSelector.MatchLabels["app.kubernetes.io/name"]));

        // The API's external endpoint accepts the ingress controller's namespace only, its management
        // port the monitoring namespace only: two rules, each on its own port.
        Assert.Equal(2, api.Ingress.Count);
        var fromIngress = Assert.Single(api.Ingress, rule => rule.FromProperty.Single().NamespaceSelector.MatchLabels["kubernetes.io/metadata.name"] == "ingress-nginx");
        Assert.Equal("8080", Assert.Single(fromIngress.Ports).Port.Value);
        var fromMonitoring = Assert.Single(api.Ingress, rule => rule.FromProperty.Single().NamespaceSelector.MatchLabels["kubernetes.io/metadata.name"] == "monitoring");
        Assert.Equal("9464", Assert.Single(fromMonitoring.Ports).Port.Value);
        var ingress = Single<V1Ingress>(objects, "api");
        Assert.Equal("api", ingress.Spec.Rules[0].Http.Paths[0].Backend.Service.Name);
    }

    [Fact]
    public async Task AResourceNobodyReferencesCannotBeReached()
    {
        using var output = new TemporaryDirectory();
        await PublishedGraph.PublishAsync(output.Path, builder =>
        {
            builder.AddContainer("lonely", "docker.io/library/nginx", "1.27.2").WithEndpoint(targetPort: 8080, name: "web", scheme: "http");
            builder.AddGitOpsEnvironment("gitops");
        });

        var policy = Assert.Single(TypedManifests.LoadFolder(Path.Combine(output.Path, "base")).OfType<V1NetworkPolicy>(), p => p.Metadata.Name == "lonely");
        Assert.Equal(["Ingress", "Egress"], policy.Spec.PolicyTypes);
        Assert.Empty(policy.Spec.Ingress ?? []);
    }

    [Fact]
    public async Task SettingsFromPublishAsKubernetesReachTheManifests()
    {
        using var output = new TemporaryDirectory();
        await PublishedGraph.PublishAsync(output.Path, builder =>
        {
            builder.AddContainer("worker", "docker.io/library/nginx", "1.27.2")
                .WithEndpoint(targetPort: 8080, name: "web", scheme: "http")
                .PublishAsKubernetes(k =>
                {
                    k.CpuLimit = "3";
                    k.MemoryRequest = "1Gi";
                    k.RunAsUser = 101;
                    k.Readiness = Stack.Hosting.GitOps.KubernetesProbe.Http("/ready");
                });
            builder.AddGitOpsEnvironment("gitops");
        });

        var deployment = Assert.Single(TypedManifests.LoadFolder(Path.Combine(output.Path, "base")).OfType<V1Deployment>());
        var container = deployment.Spec.Template.Spec.Containers[0];
        Assert.Equal(new ResourceQuantity("3"), container.Resources.Limits["cpu"]);
        Assert.Equal(new ResourceQuantity("1Gi"), container.Resources.Requests["memory"]);
        Assert.Equal(101, deployment.Spec.Template.Spec.SecurityContext.RunAsUser);
        Assert.Equal("/ready", container.ReadinessProbe.HttpGet.Path);
        Assert.Equal("8080", container.LivenessProbe.TcpSocket.Port.Value);
    }
}
