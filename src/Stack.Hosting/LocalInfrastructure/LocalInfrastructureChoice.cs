using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Stack.Hosting.LocalInfrastructure;

/// <summary>
/// The infrastructure chosen for this run: Aspire's container resources, or local processes.
/// Either way <see cref="AddRedis"/> and <see cref="AddPostgres"/> give resources with the same
/// names, connection-string shape and health checks, so the rest of the graph is identical.
/// </summary>
public sealed class LocalInfrastructureChoice
{
    internal LocalInfrastructureChoice(IDistributedApplicationBuilder builder, LocalInfrastructureMode mode, string reason, ProcessPrograms? programs)
    {
        Builder = builder;
        Mode = mode;
        Reason = reason;
        Programs = programs;

        // Say once, when the AppHost starts, which infrastructure this run uses and why.
        builder.Eventing.Subscribe<BeforeStartEvent>((@event, _) =>
        {
            @event.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Stack.LocalInfrastructure")
                .LogInformation("Local infrastructure: {Mode}, because {Reason}", Mode, Reason);
            return Task.CompletedTask;
        });
    }

    /// <summary><see cref="LocalInfrastructureMode.Containers"/> or <see cref="LocalInfrastructureMode.Processes"/>, never Auto.</summary>
    public LocalInfrastructureMode Mode { get; }

    /// <summary>Why this mode was chosen, in one sentence (logged at start-up).</summary>
    public string Reason { get; }

    /// <summary>The server programs in process mode; <see langword="null"/> in container mode.</summary>
    public ProcessPrograms? Programs { get; }

    private IDistributedApplicationBuilder Builder { get; }

    /// <summary>Adds the Redis index: Aspire's Redis container, or redis-server/Garnet as a process.</summary>
    public IResourceBuilder<IResourceWithConnectionString> AddRedis([ResourceName] string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);

        return Programs is null
            ? Builder.AddRedis(name, password: UrlSafePassword(name)).WithImageTag(PinnedImageTags.Redis).WithDataVolume()
            : Builder.AddRedisProcess(name, Programs.Redis, Programs.StateDirectory(name));
    }

    /// <summary>Adds a PostgreSQL server: Aspire's container, or the machine's binaries as a process.</summary>
    public LocalPostgres AddPostgres([ResourceName] string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);

        if (Programs is null)
        {
            var container = Builder.AddPostgres(name, password: UrlSafePassword(name)).WithImageTag(PinnedImageTags.Postgres).WithDataVolume();
            return new LocalPostgres(container, database => container.AddDatabase(database));
        }

        var process = Builder.AddPostgresProcess(name, Programs.Postgres, Programs.StateDirectory(name), Programs.RunAs);
        return new LocalPostgres(process, database => process.AddDatabase(database));
    }

    /// <summary>
    /// Adds the local Prometheus: scrapes every replica of every project on its management port and
    /// evaluates the rules every environment's PrometheusRule holds. The official image in container
    /// mode; in process mode the machine's <c>prometheus</c>, or nothing (the start-up log says what to
    /// install) when it has none. Never published: clusters run the Prometheus Operator.
    /// </summary>
    public IResourceBuilder<IResourceWithEndpoints>? AddPrometheus([ResourceName] string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);

        if (Programs is null)
        {
            var dataRoot = Path.Combine(Builder.AppHostDirectory, ".local");
            return Builder.AddPrometheusContainer(name, Path.Combine(dataRoot, name));
        }

        if (Programs.Prometheus is not { } prometheus)
        {
            Builder.Eventing.Subscribe<BeforeStartEvent>((@event, _) =>
            {
                @event.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Stack.LocalInfrastructure")
                    .LogWarning("No local Prometheus: install it (on Debian or Ubuntu: apt-get install prometheus) to see request rates, p95 latency and SLO alerts locally.");
                return Task.CompletedTask;
            });
            return null;
        }

        return Builder.AddPrometheusProcess(name, prometheus, Programs.StateDirectory(name));
    }

    // Connection URIs embed the password; Kubernetes expands it from a Secret but cannot URI-escape
    // it, so the password is generated from letters and digits only (as process mode does).
    private IResourceBuilder<ParameterResource> UrlSafePassword(string name) =>
        Builder.CreateResourceBuilder(ParameterResourceBuilderExtensions.CreateDefaultPasswordParameter(Builder, $"{name}-password", special: false));
}

/// <summary>A PostgreSQL server of either mode, to which databases can be added.</summary>
/// <param name="Server">The server resource.</param>
/// <param name="addDatabase">Adds a database resource on this server.</param>
public sealed class LocalPostgres(IResourceBuilder<IResourceWithConnectionString> Server, Func<string, IResourceBuilder<IResourceWithConnectionString>> addDatabase)
{
    /// <summary>The server resource.</summary>
    public IResourceBuilder<IResourceWithConnectionString> Server { get; } = Server;

    /// <summary>Adds a database named <paramref name="name"/>; its resource name is also its connection string name.</summary>
    public IResourceBuilder<IResourceWithConnectionString> AddDatabase([ResourceName] string name) => addDatabase(name);
}
