using System.Text.Json;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Stack.Hosting.LocalInfrastructure;
using Stack.Hosting.LocalInfrastructure.Redis;

namespace Aspire.Hosting;

/// <summary>Adds a Redis-compatible server that runs as a local process (no container runtime needed).</summary>
public static class RedisProcessBuilderExtensions
{
    /// <summary>
    /// Adds <paramref name="program"/> (redis-server or Garnet) as an executable resource bound to
    /// 127.0.0.1 with a generated password, a PING health check and no persistence: the cache is an
    /// index that the services rebuild from PostgreSQL.
    /// </summary>
    /// <param name="builder">The distributed application builder.</param>
    /// <param name="name">The resource name, also the connection string name.</param>
    /// <param name="program">The server to run, from <see cref="RedisServerProgram.Find"/>.</param>
    /// <param name="stateDirectory">A private folder for the server's config file (it holds the password).</param>
    public static IResourceBuilder<RedisProcessResource> AddRedisProcess(
        this IDistributedApplicationBuilder builder,
        [ResourceName] string name,
        RedisServerProgram program,
        string stateDirectory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(program);
        ArgumentException.ThrowIfNullOrEmpty(stateDirectory);

        var password = ParameterResourceBuilderExtensions.CreateDefaultPasswordParameter(builder, $"{name}-password", special: false);
        var resource = new RedisProcessResource(name, program.Command, builder.AppHostDirectory, password);
        var configFile = Path.Combine(stateDirectory, program.Kind == RedisServerKind.Garnet ? "garnet.conf.json" : "redis.conf");

        // The password goes into a 0600 file, not onto the command line, where the dashboard and `ps` would show it.
        builder.Eventing.Subscribe<BeforeResourceStartedEvent>(resource, async (@event, cancellationToken) =>
        {
            if (program.Kind == RedisServerKind.Garnet)
            {
                // Garnet comes from the repository's tool manifest: restore it here so a fresh clone needs no extra step.
                var logger = @event.Services.GetRequiredService<ResourceLoggerService>().GetLogger(resource);
                await RestoreDotnetToolsAsync(program.Command, builder.AppHostDirectory, logger, cancellationToken).ConfigureAwait(false);
            }

            var secret = await password.GetValueAsync(cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"The password parameter of '{name}' has no value.");
            Directory.CreateDirectory(stateDirectory);
            await WritePrivateFileAsync(configFile, RenderConfig(program.Kind, secret), cancellationToken).ConfigureAwait(false);
        });

        var healthCheckKey = $"{name}_check";
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            healthCheckKey, _ => new RedisPingHealthCheck(resource), failureStatus: null, tags: null));

        return builder.AddResource(resource)
            .WithEndpoint(name: RedisProcessResource.PrimaryEndpointName, scheme: "tcp")
            .WithArgs(context =>
            {
                var port = resource.PrimaryEndpoint.Property(EndpointProperty.TargetPort);
                object[] serverArgs = program.Kind == RedisServerKind.Garnet
                    ? ["--config-import-path", configFile, "--port", port, "--bind", "127.0.0.1", "--lua", "--memory", "256m", "--index", "64m"]
                    : [configFile, "--port", port, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"];
                foreach (var arg in program.LeadingArgs.Concat(serverArgs))
                {
                    context.Args.Add(arg);
                }
            })
            .WithIconName("Memory")
            .WithHealthCheck(healthCheckKey)
            .WithRestartOnExit();
    }

    private static async Task RestoreDotnetToolsAsync(string dotnet, string directory, ILogger logger, CancellationToken cancellationToken)
    {
        logger.LogInformation("Restoring dotnet tools (Garnet) in {Directory}", directory);
        try
        {
            await DotnetToolRestore.RestoreAsync(dotnet, DotnetToolManifest.Find(directory)!, logger, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException exception)
        {
            throw new InvalidOperationException($"Garnet cannot start: {exception.Message}", exception);
        }
    }

    private static string RenderConfig(RedisServerKind kind, string password) => kind switch
    {
        RedisServerKind.Garnet => JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["AuthenticationMode"] = "Password",
            ["Password"] = password,
        }),
        _ => $"requirepass \"{password}\"\n",
    };

    private static async Task WritePrivateFileAsync(string path, string contents, CancellationToken cancellationToken)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        await using var stream = new FileStream(path, options);
        await using var writer = new StreamWriter(stream);
        await writer.WriteAsync(contents.AsMemory(), cancellationToken).ConfigureAwait(false);
    }
}
