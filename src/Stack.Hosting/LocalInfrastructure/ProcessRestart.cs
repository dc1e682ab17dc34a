using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Stack.Hosting.LocalInfrastructure;

/// <summary>
/// Restarts a local server process that died (killed, crashed, out of memory), as a container
/// runtime's restart policy would: Aspire's executables have none. A process stopped on purpose
/// (the dashboard's Stop, the AppHost shutting down) stays stopped. Restarts back off from 1 s to
/// 30 s while the process keeps dying, and start over once it has run for a minute.
/// </summary>
internal static class ProcessRestart
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LongestDelay = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan HealthyRun = TimeSpan.FromMinutes(1);

    /// <summary>Watches <paramref name="builder"/>'s resource and starts it again whenever it exits by itself.</summary>
    public static IResourceBuilder<T> WithRestartOnExit<T>(this IResourceBuilder<T> builder) where T : ExecutableResource
    {
        ArgumentNullException.ThrowIfNull(builder);

        builder.ApplicationBuilder.Eventing.Subscribe<AfterResourcesCreatedEvent>((@event, cancellationToken) =>
        {
            var stopping = @event.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
            _ = WatchAsync(builder.Resource, @event.Services, stopping);
            return Task.CompletedTask;
        });
        return builder;
    }

    private static async Task WatchAsync(IResource resource, IServiceProvider services, CancellationToken stopping)
    {
        var notifications = services.GetRequiredService<ResourceNotificationService>();
        var commands = services.GetRequiredService<ResourceCommandService>();
        var logger = services.GetRequiredService<ResourceLoggerService>().GetLogger(resource);
        string? previous = null;
        var delay = FirstDelay;
        DateTimeOffset? runningSince = null;
        try
        {
            await foreach (var update in notifications.WatchAsync(stopping).ConfigureAwait(false))
            {
                if (update.Resource != resource)
                {
                    continue;
                }

                var state = update.Snapshot.State?.Text;
                if (state == KnownResourceStates.Running && previous != KnownResourceStates.Running)
                {
                    runningSince = DateTimeOffset.UtcNow;
                }

                // Stopping comes first when someone stops it: a process that died never says so.
                var died = IsExited(state) && previous is not null && !IsExited(previous) && previous != KnownResourceStates.Stopping;
                previous = state;
                if (!died || stopping.IsCancellationRequested)
                {
                    continue;
                }

                if (runningSince is { } since && DateTimeOffset.UtcNow - since >= HealthyRun)
                {
                    delay = FirstDelay;
                }

                logger.LogWarning("{Resource} exited by itself ({State}, exit code {ExitCode}); starting it again in {Delay} s", resource.Name, state, update.Snapshot.ExitCode, delay.TotalSeconds);
                await Task.Delay(delay, stopping).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, LongestDelay.Ticks));

                // Someone started it meanwhile (the dashboard's Restart stops and starts, and an exit
                // seen then is not a death): a second start would restart the new process.
                if (notifications.TryGetCurrentState(update.ResourceId, out var current) && !IsExited(current.Snapshot.State?.Text))
                {
                    logger.LogInformation("{Resource} was started again meanwhile ({State}); not starting it", resource.Name, current.Snapshot.State?.Text);
                    continue;
                }

                var result = await commands.ExecuteCommandAsync(resource, KnownResourceCommands.StartCommand, stopping).ConfigureAwait(false);
                if (!result.Success)
                {
                    logger.LogWarning("Starting {Resource} again failed: {Message}", resource.Name, result.Message);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The AppHost is stopping.
        }
    }

    private static bool IsExited(string? state) => state is not null && KnownResourceStates.TerminalStates.Contains(state);
}
