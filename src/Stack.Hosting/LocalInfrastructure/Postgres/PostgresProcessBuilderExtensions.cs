using System.Security.Cryptography;
using System.Text;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Stack.Hosting.LocalInfrastructure;
using Stack.Hosting.LocalInfrastructure.Postgres;

namespace Aspire.Hosting;

/// <summary>Adds a PostgreSQL server from the machine's own binaries, run as a local process.</summary>
public static class PostgresProcessBuilderExtensions
{
    /// <summary>
    /// Adds PostgreSQL as an executable resource. Its data lives in <paramref name="stateDirectory"/>,
    /// initialised with <c>initdb</c> on first run and reused after. It listens on 127.0.0.1 only;
    /// when the AppHost runs as root the server runs as <paramref name="runAs"/> (PostgreSQL refuses root).
    /// </summary>
    /// <param name="builder">The distributed application builder.</param>
    /// <param name="name">The resource name, also the connection string name.</param>
    /// <param name="programs">The server binaries, from <see cref="PostgresPrograms.Find"/>.</param>
    /// <param name="stateDirectory">A folder for the data directory; kept between runs.</param>
    /// <param name="runAs">The unprivileged account to run as when the AppHost is root; otherwise <see langword="null"/>.</param>
    public static IResourceBuilder<PostgresProcessResource> AddPostgresProcess(
        this IDistributedApplicationBuilder builder,
        [ResourceName] string name,
        PostgresPrograms programs,
        string stateDirectory,
        UnprivilegedUser? runAs)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(programs);
        ArgumentException.ThrowIfNullOrEmpty(stateDirectory);

        var dataDirectory = Path.Combine(stateDirectory, "data");
        var socketDirectory = ShortSocketDirectory(stateDirectory);
        var password = ParameterResourceBuilderExtensions.CreateDefaultPasswordParameter(builder, $"{name}-password", special: false);
        var (command, leadingArgs) = runAs?.Wrap(programs.Postgres, []) ?? (programs.Postgres, []);
        var resource = new PostgresProcessResource(name, command, builder.AppHostDirectory, password, socketDirectory, FreeTcpPort.Next());

        // One bootstrap per start of the server process (a restart included), shared by every health check run.
        var bootstrap = new PostgresBootstrap(resource);
        // Made with the first start, so that the socket folder goes when the AppHost stops.
        builder.Services.AddKeyedSingleton(resource, (services, _) => new SocketDirectoryRemoval(socketDirectory, services.GetRequiredService<IHostApplicationLifetime>()));
        builder.Eventing.Subscribe<BeforeResourceStartedEvent>(resource, async (@event, cancellationToken) =>
        {
            bootstrap.Reset();
            _ = @event.Services.GetRequiredKeyedService<SocketDirectoryRemoval>(resource);
            var logger = @event.Services.GetRequiredService<ResourceLoggerService>().GetLogger(resource);
            await PrepareDirectoriesAsync(programs, stateDirectory, dataDirectory, socketDirectory, runAs, logger, cancellationToken).ConfigureAwait(false);
        });

        var healthCheckKey = $"{name}_check";
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            healthCheckKey,
            services => new PostgresBootstrapHealthCheck(resource, bootstrap, services.GetRequiredService<ResourceLoggerService>().GetLogger(resource)),
            failureStatus: null,
            tags: null));

        return builder.AddResource(resource)
            .WithEndpoint(name: PostgresProcessResource.PrimaryEndpointName, scheme: "tcp", targetPort: resource.ServerPort)
            .WithArgs(context =>
            {
                object[] serverArgs =
                [
                    "-D", dataDirectory,
                    "-p", resource.ServerPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    "-k", socketDirectory,
                    "-c", "listen_addresses=127.0.0.1",
                    "-c", "unix_socket_permissions=0700",
                ];
                foreach (var arg in leadingArgs.Concat(serverArgs))
                {
                    context.Args.Add(arg);
                }
            })
            .WithIconName("DatabaseMultiple")
            .WithHealthCheck(healthCheckKey)
            .WithRestartOnExit();
    }

    /// <summary>Adds a database that the server creates once it is reachable, with its own health check.</summary>
    /// <param name="builder">The PostgreSQL process resource builder.</param>
    /// <param name="name">The resource name, also the connection string name.</param>
    /// <param name="databaseName">The database name; defaults to <paramref name="name"/>.</param>
    public static IResourceBuilder<PostgresProcessDatabaseResource> AddDatabase(
        this IResourceBuilder<PostgresProcessResource> builder,
        [ResourceName] string name,
        string? databaseName = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);

        databaseName ??= name;
        builder.Resource.AddDatabase(name, databaseName);
        var database = new PostgresProcessDatabaseResource(name, databaseName, builder.Resource);

        var healthCheckKey = $"{name}_check";
        builder.ApplicationBuilder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            healthCheckKey, _ => new PostgresDatabaseHealthCheck(database), failureStatus: null, tags: null));

        // Aspire passes a container's state on to its databases, but not an executable's: mirror it here,
        // so the dashboard shows the database and its health check runs once the server does.
        builder.ApplicationBuilder.Eventing.Subscribe<InitializeResourceEvent>(database, (@event, cancellationToken) =>
        {
            var stopping = @event.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
            _ = MirrorParentStateAsync(@event.Notifications, database, stopping);
            return Task.CompletedTask;
        });

        return builder.ApplicationBuilder.AddResource(database)
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "PostgresDatabase",
                State = KnownResourceStates.NotStarted,
                Properties = [new(CustomResourceKnownProperties.Source, builder.Resource.Name)],
            })
            .WithIconName("Database")
            .WithHealthCheck(healthCheckKey);
    }

    private static async Task MirrorParentStateAsync(ResourceNotificationService notifications, PostgresProcessDatabaseResource database, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var update in notifications.WatchAsync(cancellationToken).ConfigureAwait(false))
            {
                if (update.Resource != database.Parent)
                {
                    continue;
                }

                await notifications.PublishUpdateAsync(database, snapshot => snapshot with
                {
                    State = update.Snapshot.State,
                    StartTimeStamp = update.Snapshot.StartTimeStamp,
                    StopTimeStamp = update.Snapshot.StopTimeStamp,
                }).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // The AppHost is stopping.
        }
    }

    private static async Task PrepareDirectoriesAsync(
        PostgresPrograms programs,
        string stateDirectory,
        string dataDirectory,
        string socketDirectory,
        UnprivilegedUser? runAs,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(stateDirectory);
        Directory.CreateDirectory(socketDirectory);
        if (runAs is not null)
        {
            await runAs.TakeOwnershipAsync(stateDirectory, cancellationToken).ConfigureAwait(false);
            await runAs.TakeOwnershipAsync(socketDirectory, cancellationToken).ConfigureAwait(false);
        }

        if (File.Exists(Path.Combine(dataDirectory, "PG_VERSION")))
        {
            logger.LogInformation("Reusing PostgreSQL data directory {DataDirectory}", dataDirectory);
            return;
        }

        logger.LogInformation("Initialising PostgreSQL data directory {DataDirectory}", dataDirectory);
        // Trust only on the private socket (the AppHost bootstraps through it); TCP always needs the password.
        string[] initDbArgs = ["-D", dataDirectory, "-U", PostgresProcessResource.UserName, "--auth-local=trust", "--auth-host=scram-sha-256", "--encoding=UTF8", "--no-instructions"];
        var (command, args) = runAs?.Wrap(programs.InitDb, initDbArgs) ?? (programs.InitDb, initDbArgs);
        var result = await ProcessRunner.RunAsync(command, args, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"initdb failed for '{dataDirectory}' (exit {result.ExitCode}): {result.Output.Trim()}");
        }
    }

    /// <summary>Unix socket paths are limited to about 100 bytes, so the socket lives in a short temp folder.</summary>
    private static string ShortSocketDirectory(string stateDirectory)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(stateDirectory))))[..12];
        return Path.Combine(Path.GetTempPath(), $"stack-pg-{hash}");
    }
}
