using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Stack.Hosting.Observability;

/// <summary>A service's row of the dashboard: its job, objectives and extra panels.</summary>
internal sealed record DashboardRow(string Job, ServiceObjectives Objectives, IReadOnlyList<DashboardPanel> Panels);

/// <summary>
/// The Grafana dashboard of one environment, generated from the graph: one row per service with its
/// request rate, p95 latency and 5xx ratio per route (the recording rules of <see cref="SloRules"/>)
/// and its saturation (CPU per pod, requests in flight), then the panels the service adds (the
/// leaderboard: ranking-index size, rebuilds, ...). Queries are filtered to the environment's
/// namespace; the data source is a variable, so any Prometheus data source of the Grafana fits.
/// Deterministic: the same rows give the same bytes.
/// </summary>
internal static class GrafanaDashboard
{
    private const int Width = 6;
    private const int Height = 8;
    private const int Columns = 24;

    // The dashboard JSON model Grafana 11/12 writes (checked against @grafana/schema by the tests).
    private const int SchemaVersion = 41;

    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The dashboard of <paramref name="namespace"/>, titled after <paramref name="partOf"/> and <paramref name="environment"/>, as indented JSON.</summary>
    public static string Render(string partOf, string environment, string @namespace, IEnumerable<DashboardRow> rows)
    {
        var panels = new JsonArray();
        var id = 0;
        var y = 0;
        foreach (var row in rows.OrderBy(r => r.Job, StringComparer.Ordinal))
        {
            panels.Add(new JsonObject
            {
                ["type"] = "row",
                ["id"] = ++id,
                ["title"] = row.Job,
                ["collapsed"] = false,
                ["gridPos"] = GridPos(0, y, Columns, 1),
                ["panels"] = new JsonArray(),
            });
            y += 1;

            var selector = $"{{namespace=\"{@namespace}\",job=\"{row.Job}\"}}";
            var cells = new List<(string Title, string Unit, string Description, (string Query, string Legend)[] Targets)>
            {
                ("Requests per second by route", "reqps", "Recording rule " + SloRules.RouteRequestRate, [($"{SloRules.RouteRequestRate}{selector}", "{{http_route}}")]),
                ("p95 latency by route", "s", $"Recording rule {SloRules.RouteLatency("p95")}; the objective is {(int)row.Objectives.LatencyP95.TotalMilliseconds} ms.",
                    [($"{SloRules.RouteLatency("p95")}{selector}", "{{http_route}}")]),
                ("5xx ratio by route", "percentunit", $"Recording rule {SloRules.RouteErrorRatio}; the objective is at most {row.Objectives.MaxErrorRatioText}.",
                    [($"{SloRules.RouteErrorRatio}{selector}", "{{http_route}}")]),
                ("Saturation: CPU per pod, requests in flight", "short", $"CPU seconds per second ({SloRules.InstanceCpu}) and {MetricNames.ActiveRequests} per pod.",
                    [($"{SloRules.InstanceCpu}{selector}", "cpu {{pod}}"), ($"sum by (pod) ({MetricNames.ActiveRequests}{selector})", "in flight {{pod}}")]),
            };
            cells.AddRange(row.Panels.Select(p => (p.Title, p.Unit, "", new[] { (p.Query.Replace(DashboardPanel.SelectorToken, selector, StringComparison.Ordinal), p.Legend) })));

            for (var i = 0; i < cells.Count; i++)
            {
                var (title, unit, description, targets) = cells[i];
                var targetArray = new JsonArray();
                for (var t = 0; t < targets.Length; t++)
                {
                    targetArray.Add(new JsonObject
                    {
                        ["refId"] = ((char)('A' + t)).ToString(),
                        ["datasource"] = DataSource(),
                        ["expr"] = targets[t].Query,
                        ["legendFormat"] = targets[t].Legend,
                    });
                }

                panels.Add(new JsonObject
                {
                    ["type"] = "timeseries",
                    ["id"] = ++id,
                    ["title"] = title,
                    ["description"] = description,
                    ["datasource"] = DataSource(),
                    ["gridPos"] = GridPos(i % (Columns / Width) * Width, y + (i / (Columns / Width) * Height), Width, Height),
                    ["fieldConfig"] = new JsonObject { ["defaults"] = new JsonObject { ["unit"] = unit }, ["overrides"] = new JsonArray() },
                    ["targets"] = targetArray,
                });
            }

            y += (cells.Count + (Columns / Width) - 1) / (Columns / Width) * Height;
        }

        var dashboard = new JsonObject
        {
            ["uid"] = $"{partOf}-{environment}",
            ["title"] = $"{partOf} ({environment})",
            ["description"] = $"Generated by `aspire publish` from AppHost/Program.cs: every service of {partOf} in namespace {@namespace}. Do not edit in Grafana: change the AppHost and publish again.",
            ["tags"] = new JsonArray(partOf, environment, "generated"),
            ["editable"] = false,
            ["graphTooltip"] = 1,
            ["refresh"] = "30s",
            ["schemaVersion"] = SchemaVersion,
            ["time"] = new JsonObject { ["from"] = "now-1h", ["to"] = "now" },
            ["timezone"] = "utc",
            ["templating"] = new JsonObject
            {
                ["list"] = new JsonArray(new JsonObject
                {
                    ["name"] = "datasource",
                    ["label"] = "Prometheus",
                    ["type"] = "datasource",
                    ["query"] = "prometheus",
                }),
            },
            ["panels"] = panels,
        };

        return dashboard.ToJsonString(Options).ReplaceLineEndings("\n") + "\n";
    }

    private static JsonObject DataSource() => new() { ["type"] = "prometheus", ["uid"] = "${datasource}" };

    private static JsonObject GridPos(int x, int y, int w, int h) => new() { ["h"] = h, ["w"] = w, ["x"] = x, ["y"] = y };
}
