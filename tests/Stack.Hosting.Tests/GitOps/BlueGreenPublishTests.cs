using Aspire.Hosting;
using k8s.Models;

namespace Stack.Hosting.Tests.GitOps;

/// <summary>A service released blue-green: a Rollout with active and preview Services, promoted only when Prometheus shows the preview pods within their objectives.</summary>
public sealed class BlueGreenPublishTests
{
    /// <summary>The game graph with its API released blue-green, objectives of its own and a looser p95 in dev.</summary>
    private static void BlueGreenGraph(IDistributedApplicationBuilder builder)
    {
        Assert.True(builder.TryChooseLocalInfrastructure(out var infrastructure, out var problem), problem);
        var db = infrastructure.AddPostgres("postgres").AddDatabase("scores");
        var api = builder.AddProject("api", PublishedGraph.LeaderboardApiProject)
            .WithReference(db).WaitFor(db)
            .WithExternalHttpEndpoints()
            .WithServiceObjectives(latencyP95: TimeSpan.FromMilliseconds(200), maxErrorRatio: 0.005)
            .PublishAsKubernetes(kubernetes =>
            {
                kubernetes.MigrationArgs = ["migrate"];
                kubernetes.BlueGreen(release =>
                {
                    release.ScaleDownDelaySeconds = 45;
                    release.MaxErrorRatio = 0.02;
                });
            });
        builder.AddGitOpsEnvironment("gitops")
            .WithImageRegistry(builder.AddParameter("registry", "ghcr.io/stack-games"))
            .WithPolicies("infra/policies")
            .WithDeployEnvironment("dev", dev => dev
                .WithReplicas(api, 1)
                .WithObjectives(api, latencyP95: TimeSpan.FromMilliseconds(400))
                .WithMonitoring(new Uri("http://prometheus.dev-monitoring.svc:9090"), "prometheus=dev"))
            .WithDeployEnvironment("prod", prod => prod.WithReplicas(api, 4).WithSize(api, "500m", "2", "512Mi", "2Gi"));
    }

    private static async Task<(List<object> Dev, List<object> Prod)> PublishAsync(string output)
    {
        await PublishedGraph.PublishAsync(output, BlueGreenGraph);
        return (TypedManifests.LoadKustomization(Path.Combine(output, "overlays", "dev")), TypedManifests.LoadKustomization(Path.Combine(output, "overlays", "prod")));
    }

    [Fact]
    public async Task ABlueGreenServiceIsARolloutWithActiveAndPreviewServicesAndAPrePromotionAnalysis()
    {
        using var output = new TemporaryDirectory();
        var (dev, _) = await PublishAsync(output.Path);

        Assert.DoesNotContain(dev, o => o is V1Deployment);
        var rollout = Assert.Single(dev.OfType<Monitoring.Rollout>());
        var blueGreen = rollout.Spec.Strategy.BlueGreen;
        Assert.Equal(("api", "api-preview"), (blueGreen.ActiveService, blueGreen.PreviewService));
        Assert.True(blueGreen.AutoPromotionEnabled);
        Assert.Equal(45, blueGreen.ScaleDownDelaySeconds);
        Assert.Equal(30, blueGreen.AbortScaleDownDelaySeconds);
        Assert.Equal("api-slo", Assert.Single(blueGreen.PrePromotionAnalysis.Templates).TemplateName);
        var hash = Assert.Single(blueGreen.PrePromotionAnalysis.Args);
        Assert.Equal(("preview-hash", "Preview"), (hash.Name, hash.ValueFrom!.PodTemplateHashValue));

        // Both Services route to the Rollout's pods (Argo Rollouts narrows each to its ReplicaSet); the
        // Ingress to the active one. Neither has the management port.
        var services = dev.OfType<V1Service>().ToDictionary(s => s.Metadata.Name);
        Assert.Equal(rollout.Spec.Selector.MatchLabels, services["api"].Spec.Selector);
        Assert.Equal(rollout.Spec.Selector.MatchLabels, services["api-preview"].Spec.Selector);
        Assert.Equal(["http"], services["api-preview"].Spec.Ports.Select(p => p.Name));
        Assert.Equal("api", Assert.Single(dev.OfType<V1Ingress>()).Spec.Rules[0].Http.Paths[0].Backend.Service.Name);

        // Pods spread per ReplicaSet of the Rollout, which labels them rollouts-pod-template-hash.
        Assert.All(rollout.Spec.Template.Spec.TopologySpreadConstraints, c => Assert.Equal(["rollouts-pod-template-hash"], c.MatchLabelKeys));
    }

    [Fact]
    public async Task TheAutoscalerAndTheDisruptionBudgetTargetTheRolloutAndTheMigrationStillRunsFirst()
    {
        using var output = new TemporaryDirectory();
        var (dev, prod) = await PublishAsync(output.Path);

        foreach (var objects in new[] { dev, prod })
        {
            var rollout = Assert.Single(objects.OfType<Monitoring.Rollout>());
            var target = Assert.Single(objects.OfType<V2HorizontalPodAutoscaler>()).Spec.ScaleTargetRef;
            Assert.Equal(("argoproj.io/v1alpha1", "Rollout", "api"), (target.ApiVersion, target.Kind, target.Name));
            // The autoscaler owns replicas; a sync never resets them.
            Assert.Null(rollout.Spec.Replicas);

            var budget = Assert.Single(objects.OfType<V1PodDisruptionBudget>()).Spec.Selector.MatchLabels;
            Assert.All(budget, label => Assert.Equal(label.Value, rollout.Spec.Template.Metadata.Labels[label.Key]));

            var job = Assert.Single(objects.OfType<V1Job>());
            Assert.True(int.Parse(job.Metadata.Annotations["argocd.argoproj.io/sync-wave"], System.Globalization.CultureInfo.InvariantCulture)
                < int.Parse(rollout.Metadata.Annotations["argocd.argoproj.io/sync-wave"], System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(rollout.Spec.Template.Spec.Containers[0].Image, job.Spec.Template.Spec.Containers[0].Image);
        }

        // Prod's size reaches the Rollout's only container through a JSON patch: image, probes and ports stay.
        var container = Assert.Single(Assert.Single(prod.OfType<Monitoring.Rollout>()).Spec.Template.Spec.Containers);
        Assert.Equal(new ResourceQuantity("2"), container.Resources.Limits["cpu"]);
        Assert.Equal(new ResourceQuantity("512Mi"), container.Resources.Requests["memory"]);
        Assert.Equal("ghcr.io/stack-games/api:0.1.0", container.Image);
        Assert.Equal("/health", container.ReadinessProbe.HttpGet.Path);
        Assert.Equal(["http", "management"], container.Ports.Select(p => p.Name));
    }

    [Fact]
    public async Task TheAnalysisAsksTheEnvironmentsPrometheusForThePreviewPodsP95AndErrorRatioAtTheEnvironmentsBounds()
    {
        using var output = new TemporaryDirectory();
        var (dev, prod) = await PublishAsync(output.Path);

        var devTemplate = Assert.Single(dev.OfType<Monitoring.AnalysisTemplate>());
        Assert.Equal("api-slo", devTemplate.Metadata.Name);
        var args = devTemplate.Spec.Args.ToDictionary(a => a.Name, a => a.Value);
        // dev loosens the p95 objective to 400 ms; the release's own bound for errors (2%) wins over the objective (0.5%).
        Assert.Equal(new Dictionary<string, string?> { ["namespace"] = "stack-dev", ["service"] = "api", ["preview-hash"] = null, ["max-p95-seconds"] = "0.4", ["max-error-ratio"] = "0.02" }, args);
        Assert.All(devTemplate.Spec.Metrics, metric =>
        {
            Assert.Equal("http://prometheus.dev-monitoring.svc:9090", metric.Provider.Prometheus.Address);
            Assert.Contains("rollouts_pod_template_hash=\"{{args.preview-hash}}\"", metric.Provider.Prometheus.Query, StringComparison.Ordinal);
            Assert.Contains("namespace=\"{{args.namespace}}\",job=\"{{args.service}}\"", metric.Provider.Prometheus.Query, StringComparison.Ordinal);
            Assert.Equal(0, metric.FailureLimit);
            Assert.StartsWith("len(result) == 1 && result[0] <= {{args.max-", metric.SuccessCondition, StringComparison.Ordinal);
            Assert.StartsWith("len(result) == 1 && result[0] > {{args.max-", metric.FailureCondition, StringComparison.Ordinal);
        });
        Assert.Equal(["p95-latency", "error-ratio"], devTemplate.Spec.Metrics.Select(m => m.Name));

        var prodArgs = Assert.Single(prod.OfType<Monitoring.AnalysisTemplate>()).Spec.Args.ToDictionary(a => a.Name, a => a.Value);
        Assert.Equal(("stack-prod", "0.2"), (prodArgs["namespace"], prodArgs["max-p95-seconds"]));
        Assert.Equal("http://prometheus-operated.monitoring.svc.cluster.local:9090",
            Assert.Single(prod.OfType<Monitoring.AnalysisTemplate>()).Spec.Metrics[0].Provider.Prometheus.Address);
    }

    [Fact]
    public async Task TheAppProjectAllowsTheKindsOfArgoRolloutsAndThePrometheusOperator()
    {
        using var output = new TemporaryDirectory();
        await PublishedGraph.PublishAsync(output.Path, BlueGreenGraph);

        var project = TypedManifests.LoadFolder(Path.Combine(output.Path, "argocd")).OfType<ArgoCd.AppProject>().Single(p => p.Metadata.Name == "stack");
        var kinds = project.Spec.NamespaceResourceWhitelist.Select(k => $"{k.Group}/{k.Kind}").ToList();
        Assert.Contains("argoproj.io/Rollout", kinds);
        Assert.Contains("argoproj.io/AnalysisTemplate", kinds);
        Assert.Contains("monitoring.coreos.com/ServiceMonitor", kinds);
        Assert.Contains("monitoring.coreos.com/PrometheusRule", kinds);
        Assert.DoesNotContain("apps/Deployment", kinds);
    }
}
