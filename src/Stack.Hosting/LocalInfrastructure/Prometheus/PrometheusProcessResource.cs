using Aspire.Hosting.ApplicationModel;

namespace Stack.Hosting.LocalInfrastructure.Prometheus;

/// <summary>
/// Prometheus from the machine (Debian's <c>prometheus</c>), run by the AppHost as a local process
/// on 127.0.0.1: it scrapes every replica of every project on its management port and evaluates
/// the same rules the published PrometheusRule holds.
/// </summary>
public sealed class PrometheusProcessResource(string name, string command, string workingDirectory, string stateDirectory)
    : ExecutableResource(name, command, workingDirectory)
{
    internal const string HttpEndpointName = "http";

    /// <summary>The folder of its config, its rules file (<c>rules.yml</c>), its scrape targets and its TSDB.</summary>
    public string StateDirectory { get; } = stateDirectory;
}
