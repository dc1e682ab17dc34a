namespace Stack.Hosting.Observability;

/// <summary>
/// A panel a service adds to its row of the Grafana dashboard, besides rate, p95, errors and
/// saturation. <see cref="Query"/> is PromQL in which <c>{selector}</c> stands for the service's
/// series in one environment (<c>{namespace="stack-prod",job="leaderboard-api"}</c>).
/// </summary>
/// <param name="Title">The panel's title.</param>
/// <param name="Query">PromQL with <c>{selector}</c> where the series selector goes.</param>
/// <param name="Unit">Grafana's unit id (<c>short</c>, <c>s</c>, <c>reqps</c>, <c>percentunit</c>, ...).</param>
/// <param name="Legend">Grafana's legend format, e.g. <c>{{leaderboard_board}}</c>.</param>
public sealed record DashboardPanel(string Title, string Query, string Unit = "short", string Legend = "")
{
    /// <summary>What stands for the service's selector in <see cref="Query"/>.</summary>
    public const string SelectorToken = "{selector}";
}

/// <summary>The extra dashboard panels of a resource, in the order declared.</summary>
internal sealed class DashboardPanelsAnnotation : Aspire.Hosting.ApplicationModel.IResourceAnnotation
{
    public List<DashboardPanel> Panels { get; } = [];
}
