using System.Globalization;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Stack.Hosting.LocalInfrastructure;
using Stack.Hosting.LocalInfrastructure.Prometheus;
using Stack.Hosting.Observability;

namespace Aspire.Hosting;

/// <summary>Adds the local Prometheus that scrapes every replica of every project and evaluates the published rules.</summary>
public static class PrometheusBuilderExtensions
{
    /// <summary>A link on the dashboard that opens the p95 per route in Prometheus' graph.</summary>
    internal static readonly string P95GraphPath = "/graph?g0.expr=" + Uri.EscapeDataString(SloRules.RouteLatency("p95")) + "&g0.tab=0&g0.range_input=15m";

    /// <summary>
    /// Adds Prometheus (<paramref name="program"/>, Debian's <c>prometheus</c>) as a local process on
    /// 127.0.0.1, with its config, rules and TSDB in <paramref name="stateDirectory"/>, healthy once
    /// <c>/-/ready</c> answers. Every project of the graph gets a management endpoint (its own port
    /// per replica, where ServiceDefaults serves <c>/metrics</c>), and Prometheus scrapes each replica there.
    /// </summary>
    public static IResourceBuilder<PrometheusProcessResource> AddPrometheusProcess(
        this IDistributedApplicationBuilder builder,
        [ResourceName] string name,
        string program,
        string stateDirectory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(program);
        ArgumentException.ThrowIfNullOrEmpty(stateDirectory);

        var port = FreeTcpPort.Next();
        var resource = new PrometheusProcessResource(name, program, builder.AppHostDirectory, stateDirectory);
        builder.Eventing.Subscribe<BeforeResourceStartedEvent>(resource, (@event, _) =>
        {
            LocalPrometheusConfig.Write(stateDirectory, stateDirectory, @event.Services.GetRequiredService<DistributedApplicationModel>());
            return Task.CompletedTask;
        });
        builder.WithScrapeTargetsOf(resource, stateDirectory);

        return builder.AddResource(resource)
            .WithHttpEndpoint(port: port, targetPort: port, name: PrometheusProcessResource.HttpEndpointName, isProxied: false)
            .WithArgs(
                $"--config.file={Path.Combine(stateDirectory, LocalPrometheusConfig.ConfigFile)}",
                $"--storage.tsdb.path={Path.Combine(stateDirectory, "data")}",
                "--storage.tsdb.retention.time=2d",
                $"--web.listen-address=127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}")
            .WithPrometheusUrls()
            .WithIconName("ChartMultiple")
            .WithHttpHealthCheck("/-/ready")
            .WithRestartOnExit();
    }

    /// <summary>
    /// Adds Prometheus as the pinned official image (<see cref="PinnedImageTags.Prometheus"/>) on the
    /// host's network, so that it reaches each replica's management port on 127.0.0.1 as the process
    /// does (Linux; Docker Desktop needs host networking turned on). Not published: the cluster runs
    /// the Prometheus Operator, which reads the published ServiceMonitors and PrometheusRule.
    /// </summary>
    public static IResourceBuilder<ContainerResource> AddPrometheusContainer(this IDistributedApplicationBuilder builder, [ResourceName] string name, string stateDirectory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(stateDirectory);

        const string mounted = "/etc/stack-prometheus";
        var port = FreeTcpPort.Next();
        var container = builder.AddContainer(name, PinnedImageTags.PrometheusImage, PinnedImageTags.Prometheus)
            .WithImageRegistry("docker.io")
            .ExcludeFromManifest();
        if (builder.ExecutionContext.IsPublishMode)
        {
            return container;
        }

        builder.Eventing.Subscribe<BeforeResourceStartedEvent>(container.Resource, (@event, _) =>
        {
            LocalPrometheusConfig.Write(stateDirectory, mounted, @event.Services.GetRequiredService<DistributedApplicationModel>());
            return Task.CompletedTask;
        });
        builder.WithScrapeTargetsOf(container.Resource, stateDirectory);

        return container
            .WithBindMount(stateDirectory, mounted)
            .WithContainerRuntimeArgs("--network=host")
            .WithHttpEndpoint(port: port, targetPort: port, name: PrometheusProcessResource.HttpEndpointName, isProxied: false)
            .WithArgs(
                $"--config.file={mounted}/{LocalPrometheusConfig.ConfigFile}",
                "--storage.tsdb.path=/prometheus",
                $"--web.listen-address=127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}")
            .WithPrometheusUrls()
            .WithHttpHealthCheck("/-/ready");
    }

    private static IResourceBuilder<T> WithPrometheusUrls<T>(this IResourceBuilder<T> builder) where T : IResourceWithEndpoints =>
        builder
            .WithUrlForEndpoint(PrometheusProcessResource.HttpEndpointName, url => url.DisplayText = "Prometheus")
            .WithUrls(context =>
            {
                if (context.GetEndpoint(PrometheusProcessResource.HttpEndpointName) is { } endpoint && endpoint.IsAllocated)
                {
                    context.Urls.Add(new ResourceUrlAnnotation { Url = endpoint.Url + P95GraphPath, DisplayText = "p95 per route" });
                }
            });

    /// <summary>
    /// Gives every project a management endpoint before the AppHost starts them (a port per replica,
    /// named to ServiceDefaults by <c>Management__Port</c>), and keeps the targets file of the
    /// Prometheus in <paramref name="stateDirectory"/> equal to the running replicas.
    /// </summary>
    private static void WithScrapeTargetsOf(this IDistributedApplicationBuilder builder, IResource prometheus, string stateDirectory)
    {
        builder.Eventing.Subscribe<BeforeStartEvent>((@event, cancellationToken) =>
        {
            foreach (var project in @event.Model.Resources.OfType<ProjectResource>())
            {
                if (project.TryGetEndpoints(out var endpoints) && endpoints.Any(e => e.Name == ManagementEndpoint.Name))
                {
                    continue;
                }

                var management = builder.CreateResourceBuilder(project).WithHttpEndpoint(name: ManagementEndpoint.Name);
                var endpoint = management.GetEndpoint(ManagementEndpoint.Name);
                management.WithEnvironment(ManagementEndpoint.PortVariable, endpoint.Property(EndpointProperty.TargetPort));
            }

            var stopping = @event.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
            var logger = @event.Services.GetRequiredService<ResourceLoggerService>().GetLogger(prometheus);
            var targets = new ScrapeTargets(Path.Combine(stateDirectory, LocalPrometheusConfig.TargetsFolder, LocalPrometheusConfig.TargetsFile), logger);
            _ = targets.WatchAsync(@event.Services.GetRequiredService<ResourceNotificationService>(), stopping);
            return Task.CompletedTask;
        });
    }
}
