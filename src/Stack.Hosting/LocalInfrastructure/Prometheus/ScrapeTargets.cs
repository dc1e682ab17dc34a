using System.Collections.Concurrent;
using System.Text.Json;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Logging;
using Stack.Hosting.Observability;

namespace Stack.Hosting.LocalInfrastructure.Prometheus;

/// <summary>One replica Prometheus scrapes: its management address and the labels of its series.</summary>
/// <param name="Replica">The replica's own name (Aspire's resource id, e.g. <c>leaderboard-api-xkqzv</c>).</param>
/// <param name="Job">The project it is a replica of: the <c>job</c> the rules and alerts select by.</param>
/// <param name="Address">Where its management port listens, e.g. <c>127.0.0.1:41873</c>.</param>
internal sealed record ScrapeTarget(string Replica, string Job, string Address);

/// <summary>
/// Keeps Prometheus' file-based service discovery file equal to the replicas that run now. Aspire's
/// proxy would put every replica of a project behind one address (one <c>instance</c>, their series
/// mixed), so each replica is scraped on its own port instead: every replica of a project is a
/// resource instance of its own in <see cref="ResourceNotificationService"/>, whose snapshot carries
/// the environment it was started with, <c>Management__Port</c> included (the port DCP allocated to
/// that replica). A running replica is a target; one that stops, or restarts on another port, is
/// dropped or moved. The file is replaced atomically, and Prometheus re-reads it within seconds.
/// </summary>
internal sealed class ScrapeTargets(string file, ILogger logger)
{
    private readonly ConcurrentDictionary<string, ScrapeTarget> _targets = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _write = new(1, 1);
    private string? _written;

    /// <summary>The targets now, by replica.</summary>
    public IReadOnlyCollection<ScrapeTarget> Current => [.. _targets.Values];

    /// <summary>Follows every project resource of the notifications until <paramref name="stopping"/>.</summary>
    public async Task WatchAsync(ResourceNotificationService notifications, CancellationToken stopping)
    {
        try
        {
            await foreach (var update in notifications.WatchAsync(stopping).ConfigureAwait(false))
            {
                if (update.Resource is ProjectResource project && Apply(project.Name, update.ResourceId, update.Snapshot))
                {
                    await WriteAsync().ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The AppHost is stopping.
        }
    }

    /// <summary>Takes one snapshot of replica <paramref name="replica"/> of <paramref name="job"/> into account; whether the targets changed.</summary>
    public bool Apply(string job, string replica, CustomResourceSnapshot snapshot)
    {
        var port = snapshot.EnvironmentVariables.FirstOrDefault(v => v.Name == ManagementEndpoint.PortVariable)?.Value;
        var running = snapshot.State?.Text == KnownResourceStates.Running;
        if (running && int.TryParse(port, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number))
        {
            var target = new ScrapeTarget(replica, job, $"127.0.0.1:{number}");
            return _targets.TryGetValue(replica, out var known) ? known != target && _targets.TryUpdate(replica, target, known) : _targets.TryAdd(replica, target);
        }

        return _targets.TryRemove(replica, out _);
    }

    /// <summary>The file_sd JSON for <paramref name="targets"/>, sorted by replica.</summary>
    public static string Render(IEnumerable<ScrapeTarget> targets) => JsonSerializer.Serialize(
        targets.OrderBy(t => t.Replica, StringComparer.Ordinal).Select(t => new
        {
            targets = new[] { t.Address },
            labels = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["job"] = t.Job, ["replica"] = t.Replica },
        }),
        LocalPrometheusConfig.Json) + "\n";

    /// <summary>Writes beside <paramref name="path"/> and renames over it, so Prometheus never reads half a file.</summary>
    public static void WriteAtomically(string path, string content)
    {
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, content);
        File.Move(temporary, path, overwrite: true);
    }

    private async Task WriteAsync()
    {
        await _write.WaitAsync().ConfigureAwait(false);
        try
        {
            var content = Render(_targets.Values);
            if (content == _written)
            {
                return;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            WriteAtomically(file, content);
            _written = content;
            logger.LogInformation("Prometheus scrapes {Count} replicas: {Targets}", _targets.Count,
                string.Join(", ", _targets.Values.OrderBy(t => t.Replica, StringComparer.Ordinal).Select(t => $"{t.Replica} at {t.Address}")));
        }
        finally
        {
            _write.Release();
        }
    }
}
