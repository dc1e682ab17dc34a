var builder = DistributedApplication.CreateBuilder(args);

// Infrastructure: containers when Docker or Podman answers, local processes otherwise (see README).
if (!builder.TryChooseLocalInfrastructure(out var infrastructure, out var problem))
{
    Console.Error.WriteLine(problem);
    return 1;
}

// Data: Redis holds the ranking index, PostgreSQL the durable scores.
var cache = infrastructure.AddRedis("cache");
var leaderboardDb = infrastructure.AddPostgres("postgres").AddDatabase("leaderboard-db");

// Observability: a local Prometheus scrapes every replica and evaluates the published SLO rules.
infrastructure.AddPrometheus("prometheus");

// Restricted: the payments database belongs to another team and namespace. Nothing here may
// reference it; the AppHost and `aspire publish` refuse a WithReference to it.
builder.AddExternalDatabase("payments-db", host: "payments-db.payments.svc.cluster.local", port: 5432, database: "payments")
    .WithRestrictedData("payments");

// Secrets: API keys, generated once and kept in user secrets; override with Parameters__<name>.
var serverKey = builder.AddParameter("leaderboard-server-key", new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true, persist: true);
var adminKey = builder.AddParameter("leaderboard-admin-key", new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true, persist: true);

// Services: the game-facing leaderboard API, two replicas behind one fixed local address.
var leaderboardApi = builder.AddProject<Projects.Leaderboard_Api>("leaderboard-api")
    .WithReference(cache).WaitFor(cache)
    .WithReference(leaderboardDb).WaitFor(leaderboardDb)
    .WithEnvironment("Leaderboard__ServerKey", serverKey)
    .WithEnvironment("Leaderboard__AdminKey", adminKey)
    .WithRebuildIndexesCommand(adminKey)
    .WithReplicas(2)
    .WithEndpoint("http", endpoint => endpoint.Port = 5080)
    .WithExternalHttpEndpoints()
    .WithHttpHealthCheck("/health")
    // The API trusts forwarded client addresses only from Leaderboard:TrustedProxies (loopback, where
    // the local proxy connects from); Aspire's switch would trust every sender.
    .DisableForwardedHeaders()
    .WithLeaderboardObservability()
    .PublishAsKubernetes(kubernetes =>
    {
        kubernetes.MigrationArgs = ["migrate"];
        kubernetes.WithLeaderboardGuards();
        // New versions go blue-green: promoted only when the preview pods meet the objectives.
        kubernetes.BlueGreen(release => release.ScaleDownDelaySeconds = 60);
    });

// Stats: the worker that follows the score change log into per-period stats (README, Stats). It
// waits for the API, whose start migrates the schema the worker reads.
var leaderboardStats = builder.AddProject<Projects.Leaderboard_Stats>("leaderboard-stats")
    .WithReference(leaderboardDb).WaitFor(leaderboardDb)
    .WaitFor(leaderboardApi)
    .WithReplicas(2)
    .WithHttpHealthCheck("/health");

// Recaps: only when a model is configured (ConnectionStrings:recap-model, e.g. in user secrets), as a
// secret connection string; without one the worker keeps the stats and writes no recap.
if (!string.IsNullOrEmpty(builder.Configuration["ConnectionStrings:recap-model"]))
{
    leaderboardStats.WithReference(builder.AddConnectionString("recap-model"));
}

// Deployment: `aspire publish` renders infra/deploy (Kubernetes + kustomize + Argo CD); see README.
// The registry is configuration (CI sets Parameters__image-registry); a string value would be a constant.
var imageRegistry = builder.AddParameter("image-registry", () => builder.Configuration["Parameters:image-registry"] ?? "ghcr.io/stack-games");
var gitops = builder.AddGitOpsEnvironment("gitops")
    .WithArgoCd("https://github.com/stack-games/stack.git")
    .WithImageRegistry(imageRegistry)
    .WithExternalSecrets(clusterSecretStore: "stack-secrets")
    // Third-party images by digest (their official multi-platform index), as staging and prod require.
    .WithImageDigest("docker.io/library/redis:8.2.1", "sha256:5fa2edb1e408fa8235e6db8fab01d1afaaae96c9403ba67b70feceb8661e8621")
    .WithImageDigest("docker.io/library/postgres:15.14", "sha256:822f8795764a670160640888508b2a68ea5c4b045012c2de17e1d0447bdbdc99")
    .WithPolicies()
    // Only images signed by CI's key run (sigstore policy-controller); the private key is a CI secret.
    .WithImageSigning("infra/signing/cosign.pub")
    .WithMonitoring(selectorLabel: "release=kube-prometheus-stack")
    .WithDeployEnvironment("dev", dev => dev.WithReplicas(leaderboardApi, 1).WithObjectives(leaderboardApi, latencyP95: TimeSpan.FromMilliseconds(500)))
    .WithDeployEnvironment("staging")
    .WithDeployEnvironment("prod", prod => prod
        .WithReplicas(leaderboardApi, 3)
        .WithObjectives(leaderboardApi, availability: 0.9995)
        .WithSize(leaderboardApi, cpuRequest: "250m", cpuLimit: "1", memoryRequest: "256Mi", memoryLimit: "1Gi")
        .WithHost(leaderboardApi, "leaderboard.stack.example.com"));

// Policies: the admission rules gate publish; the dashboard shows their verdict on the committed tree.
builder.AddPolicyGate("policy-gate", gitops);

builder.Build().Run();
return 0;
