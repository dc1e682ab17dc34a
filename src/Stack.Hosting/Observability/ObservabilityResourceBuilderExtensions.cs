using Aspire.Hosting.ApplicationModel;
using Stack.Hosting.Observability;

namespace Aspire.Hosting;

/// <summary>What a service promises (its objectives) and what its dashboard row shows beyond the standard panels.</summary>
public static class ObservabilityResourceBuilderExtensions
{
    /// <summary>
    /// Sets the service's objectives: the p95 latency per route, the 5xx ratio and the availability
    /// its error budget is measured against. They drive the SLO alerts of the published
    /// PrometheusRule and of the local Prometheus, the dashboard's descriptions and a blue-green
    /// release's analysis; an environment may change them with <c>WithObjectives(...)</c>.
    /// </summary>
    public static IResourceBuilder<T> WithServiceObjectives<T>(this IResourceBuilder<T> builder, TimeSpan? latencyP95 = null, double? maxErrorRatio = null, double? availability = null)
        where T : IResource
    {
        ArgumentNullException.ThrowIfNull(builder);

        var current = ServiceObjectivesAnnotation.Of(builder.Resource);
        var objectives = new ServiceObjectives(latencyP95 ?? current.LatencyP95, maxErrorRatio ?? current.MaxErrorRatio, availability ?? current.Availability).Validate();
        return builder.WithAnnotation(new ServiceObjectivesAnnotation(objectives), ResourceAnnotationMutationBehavior.Replace);
    }

    /// <summary>Adds a panel to the service's row of the generated Grafana dashboard (after rate, p95, errors and saturation).</summary>
    public static IResourceBuilder<T> WithDashboardPanel<T>(this IResourceBuilder<T> builder, DashboardPanel panel)
        where T : IResource
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(panel);
        if (!panel.Query.Contains(DashboardPanel.SelectorToken, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The query of panel '{panel.Title}' must name the service's series with {DashboardPanel.SelectorToken}, so each environment's dashboard shows its own.", nameof(panel));
        }

        if (!builder.Resource.TryGetLastAnnotation<DashboardPanelsAnnotation>(out var annotation))
        {
            annotation = new DashboardPanelsAnnotation();
            builder.WithAnnotation(annotation);
        }

        annotation.Panels.Add(panel);
        return builder;
    }
}
