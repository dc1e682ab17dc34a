using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The management port: a second port of the same Kestrel server that serves Prometheus'
/// <c>/metrics</c> and nothing else, while the public port never serves it. The port is whatever
/// <c>Management:Port</c> says (env <c>Management__Port</c>); the host lists it among the server's
/// addresses (<c>ASPNETCORE_URLS</c> locally, <c>ASPNETCORE_HTTP_PORTS</c> on Kubernetes), so the
/// AppHost and the published manifests decide where it is, and the cluster's NetworkPolicy admits
/// only the monitoring namespace to it. Without the setting a service has no scrape endpoint.
/// </summary>
public static class ManagementEndpointExtensions
{
    /// <summary>The setting naming the management port.</summary>
    public const string PortKey = "Management:Port";

    /// <summary>The path Prometheus scrapes on the management port.</summary>
    public const string MetricsPath = "/metrics";

    /// <summary>Serves <see cref="MetricsPath"/> on the port <see cref="PortKey"/> names, ahead of every other middleware.</summary>
    /// <exception cref="InvalidOperationException"><see cref="PortKey"/> is set but is not a TCP port.</exception>
    public static TBuilder AddManagementEndpoint<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);

        if (builder.Configuration[PortKey] is not { Length: > 0 } setting)
        {
            return builder;
        }

        if (!int.TryParse(setting, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw new InvalidOperationException($"{PortKey} is '{setting}', but it must be a TCP port (1-65535).");
        }

        builder.Services.AddTransient<IStartupFilter>(_ => new ManagementPortFilter(port));
        return builder;
    }

    /// <summary>
    /// Branches requests that arrive on the management port off before the application's pipeline
    /// (guards, rate limits, routing): <c>GET /metrics</c> is the exporter's, anything else 404. They
    /// are left out of the HTTP metrics, so scrapes do not show up as traffic.
    /// </summary>
    private sealed class ManagementPortFilter(int port) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.MapWhen(context => context.Connection.LocalPort == port, management =>
            {
                management.Use((context, nextMiddleware) =>
                {
                    if (context.Features.Get<IHttpMetricsTagsFeature>() is { } metrics)
                    {
                        metrics.MetricsDisabled = true;
                    }

                    return nextMiddleware(context);
                });
                management.UseOpenTelemetryPrometheusScrapingEndpoint(context => context.Request.Path == MetricsPath);
                management.Run(context =>
                {
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                    return Task.CompletedTask;
                });
            });
            next(app);
        };
    }
}
