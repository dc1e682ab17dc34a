using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Stack.Hosting.LocalInfrastructure;
using YamlDotNet.Serialization;

namespace Leaderboard.Api.Tests;

/// <summary>The API served by Kestrel on a public port and a management port, as the AppHost and the cluster run it.</summary>
public sealed class ManagementPortFixture : KestrelApiFixture
{
    public int ManagementPort { get; } = FreeTcpPort.Next();

    protected override void ConfigureKestrelApi(IWebHostBuilder web)
    {
        web.UseSetting("Management:Port", ManagementPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        web.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, ManagementPort));
    }
}

/// <summary>Prometheus' /metrics: on the management port only, with every series the dashboards and rules name.</summary>
public sealed class MetricsEndpointTests(ManagementPortFixture api) : IClassFixture<ManagementPortFixture>
{
    private static readonly string Deploy = Path.Combine(RepositoryCheckout.Root, "infra", "deploy");

    private Uri Management => new($"http://127.0.0.1:{api.ManagementPort}");

    [Fact]
    public async Task MetricsAreServedOnTheManagementPortAndNowhereElse()
    {
        using var http = new HttpClient();
        using var metrics = await http.GetAsync(new Uri(Management, "/metrics"), LeaderboardClient.Cancellation);
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.StartsWith("text/plain", metrics.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);

        // The public port never serves them; the management port serves nothing else.
        using var publicPort = await http.GetAsync(new Uri(api.Address, "/metrics"), LeaderboardClient.Cancellation);
        Assert.Equal(HttpStatusCode.NotFound, publicPort.StatusCode);
        foreach (var path in new[] { "/health", "/api/leaderboards", "/" })
        {
            using var other = await http.GetAsync(new Uri(Management, path), LeaderboardClient.Cancellation);
            Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        }
    }

    [Fact]
    public async Task EverySeriesTheDashboardsAndRulesNameIsRecordedByTheRulesOrServedByTheExporter()
    {
        // Traffic that moves the leaderboard's meters: a board, a score, a replay of its key, a rebuild, a watcher.
        using var admin = api.KestrelClient(DataStoresFixture.AdminKey);
        using var server = api.KestrelClient(DataStoresFixture.ServerKey);
        var board = $"metrics-{Guid.NewGuid():N}";
        (await admin.PutAsJsonAsync($"/api/leaderboards/{board}", new { }, LeaderboardClient.Cancellation)).EnsureSuccessStatusCode();
        for (var i = 0; i < 2; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/leaderboards/{board}/scores/alice") { Content = JsonContent.Create(new { score = 7 }) };
            request.Headers.Add("Idempotency-Key", $"key-{board}");
            (await server.SendAsync(request, LeaderboardClient.Cancellation)).EnsureSuccessStatusCode();
        }

        (await admin.PostAsync($"/api/leaderboards/{board}/index/rebuild", null, LeaderboardClient.Cancellation)).EnsureSuccessStatusCode();
        (await server.GetAsync($"/api/leaderboards/{board}/top", LeaderboardClient.Cancellation)).EnsureSuccessStatusCode();

        // The exporter answers a scrape from a short cache, which a scrape by a test running alongside
        // may have filled before the traffic above: scrape again until the rebuild shows (or give up).
        using var http = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        var served = await ScrapeAsync(http);
        while (!served.Contains("leaderboard_index_rebuild_duration_seconds_bucket") && DateTime.UtcNow < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500), LeaderboardClient.Cancellation);
            served = await ScrapeAsync(http);
        }
        Assert.Contains("leaderboard_scores_submitted_total", served);
        Assert.Contains("leaderboard_idempotency_replays_total", served);
        Assert.Contains("leaderboard_index_rebuild_duration_seconds_bucket", served);
        Assert.Contains("leaderboard_index_entries", served);
        Assert.Contains("leaderboard_scores_batch_size_bucket", served);

        var (records, expressions) = Rules(Path.Combine(Deploy, "overlays", "staging", "monitoring", "prometheusrule.yaml"));
        var queries = DashboardQueries().Concat(expressions).ToList();
        Assert.NotEmpty(queries);
        var missing = queries
            .SelectMany(query => PromQlNames.Of(query).Select(name => (name, query)))
            .Where(pair => !records.Contains(pair.name) && !served.Contains(pair.name))
            .Select(pair => $"{pair.name} (in {pair.query})")
            .Distinct()
            .ToList();
        Assert.True(missing.Count == 0, "series no rule records and the exporter does not serve:\n" + string.Join('\n', missing));
    }

    [Fact]
    public void TheNameExtractorFindsMetricNamesOnly()
    {
        Assert.Equal(["a_total", "b:rate5m"], PromQlNames.Of("sum by (job, le) (rate(a_total{x=\"y{z}\",le=~\"0.5\"}[5m])) / on(job) b:rate5m > bool 0.25 or vector(0)").Order(StringComparer.Ordinal));
    }

    private static (HashSet<string> Records, List<string> Expressions) Rules(string prometheusRule)
    {
        var manifest = new DeserializerBuilder().Build().Deserialize<Dictionary<string, object>>(File.ReadAllText(prometheusRule));
        var rules = ((List<object>)((Dictionary<object, object>)manifest["spec"])["groups"])
            .Cast<Dictionary<object, object>>()
            .SelectMany(group => ((List<object>)group["rules"]).Cast<Dictionary<object, object>>())
            .ToList();
        return (rules.Where(r => r.ContainsKey("record")).Select(r => (string)r["record"]).ToHashSet(StringComparer.Ordinal),
            rules.Select(r => (string)r["expr"]).ToList());
    }

    private static IEnumerable<string> DashboardQueries()
    {
        foreach (var file in Directory.GetFiles(Path.Combine(Deploy, "overlays"), "dashboard-configmap.yaml", SearchOption.AllDirectories))
        {
            var manifest = new DeserializerBuilder().Build().Deserialize<Dictionary<string, object>>(File.ReadAllText(file));
            using var dashboard = JsonDocument.Parse((string)((Dictionary<object, object>)manifest["data"]).Values.Single());
            foreach (var panel in dashboard.RootElement.GetProperty("panels").EnumerateArray().Where(p => p.TryGetProperty("targets", out _)))
            {
                foreach (var target in panel.GetProperty("targets").EnumerateArray())
                {
                    yield return target.GetProperty("expr").GetString()!;
                }
            }
        }
    }

    /// <summary>The names of the series one scrape of the management port serves.</summary>
    private async Task<HashSet<string>> ScrapeAsync(HttpClient http)
    {
        var scrape = await http.GetStringAsync(new Uri(Management, "/metrics"), LeaderboardClient.Cancellation);
        return scrape.Split('\n')
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line[..line.IndexOfAny(['{', ' '])])
            .ToHashSet(StringComparer.Ordinal);
    }
}
