using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Stack.Hosting.LocalInfrastructure.Prometheus;

namespace Stack.AppHost.Tests;

/// <summary>The local Prometheus of the running stack: it scrapes every replica and evaluates the published rules.</summary>
[Collection(AppHostCollection.Name)]
public sealed class PrometheusTests(RunningStackFixture stack)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    private const string P95PerRoute = "job_route:http_server_request_duration_seconds:p95_5m";

    [Fact]
    public async Task AfterABurstOfRequestsTheP95RecordingRuleHasAValuePerRouteScrapedFromEveryReplica()
    {
        var cancellation = TestContext.Current.CancellationToken;
        await stack.App.ResourceNotifications.WaitForResourceHealthyAsync("prometheus", cancellation).WaitAsync(StackAppHost.StartupTimeout, cancellation);
        var board = await StackAppHost.CreateBoardAsync(stack.App, "p95");

        // A burst through the AppHost's endpoint, which spreads connections over both replicas; with
        // the server key, whose rate limit is the fleet's (anonymous readers get 20 a second).
        using var server = StackAppHost.ApiClient(stack.App, StackAppHost.ServerKey);
        await Parallel.ForAsync(0, 120, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellation }, async (i, token) =>
        {
            using var stored = await server.PutAsJsonAsync($"/api/leaderboards/{board}/scores/player-{i}", new { score = i }, token);
            Assert.Equal(HttpStatusCode.OK, stored.StatusCode);
            using var top = await server.GetAsync($"/api/leaderboards/{board}/top?limit=10", token);
            Assert.Equal(HttpStatusCode.OK, top.StatusCode);
        });

        using var prometheus = stack.App.CreateHttpClient("prometheus", "http");
        var deadline = DateTime.UtcNow + Deadline;
        IReadOnlyList<(Dictionary<string, string> Labels, string Value)> p95 = [];
        IReadOnlyList<(Dictionary<string, string> Labels, string Value)> up = [];
        while (DateTime.UtcNow < deadline)
        {
            up = await QueryAsync(prometheus, "up{job=\"leaderboard-api\"} == 1");
            p95 = await QueryAsync(prometheus, $"{P95PerRoute}{{job=\"leaderboard-api\"}}");
            if (up.Count == 2 && Routes(p95).IsSupersetOf([ScoresRoute, TopRoute]))
            {
                break;
            }

            await Task.Delay(TimeSpan.FromSeconds(1), cancellation);
        }

        // Each replica is a target of its own (its own management port), not one address behind the proxy.
        Assert.Equal(2, up.Select(sample => sample.Labels["replica"]).Distinct().Count());
        Assert.Equal(2, up.Select(sample => sample.Labels["instance"]).Distinct().Count());
        Assert.True(Routes(p95).IsSupersetOf([ScoresRoute, TopRoute]), $"p95 per route after {Deadline}: {string.Join("; ", p95.Select(s => $"{string.Join(',', s.Labels)}={s.Value}"))}");
        foreach (var (labels, value) in p95.Where(sample => sample.Labels.GetValueOrDefault("http_route") is ScoresRoute or TopRoute))
        {
            var seconds = double.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(seconds is > 0 and < 10, $"p95 of {labels["http_route"]}: {value} s");
        }
    }

    [Fact]
    public async Task TheLocalPrometheusLoadsTheRulesEveryEnvironmentPublishes()
    {
        var model = stack.App.Services.GetRequiredService<DistributedApplicationModel>();
        var prometheus = Assert.IsType<PrometheusProcessResource>(model.Resources.Single(r => r.Name == "prometheus"));
        var local = await File.ReadAllTextAsync(Path.Combine(prometheus.StateDirectory, "rules.yml"), TestContext.Current.CancellationToken);

        // staging keeps the objectives the AppHost declares on the resource, as the local stack does.
        var published = new YamlDotNet.Serialization.DeserializerBuilder().Build().Deserialize<Dictionary<string, object>>(
            await File.ReadAllTextAsync(Path.Combine(Repository.Root, "infra", "deploy", "overlays", "staging", "monitoring", "prometheusrule.yaml"), TestContext.Current.CancellationToken));
        var yaml = new YamlDotNet.Serialization.SerializerBuilder().Build();
        Assert.Equal(
            yaml.Serialize(((Dictionary<object, object>)published["spec"])["groups"]),
            yaml.Serialize(new YamlDotNet.Serialization.DeserializerBuilder().Build().Deserialize<Dictionary<string, object>>(local)["groups"]));
    }

    private const string ScoresRoute = "/api/leaderboards/{boardId}/scores/{playerId}";
    private const string TopRoute = "/api/leaderboards/{boardId}/top";

    private static HashSet<string> Routes(IEnumerable<(Dictionary<string, string> Labels, string Value)> samples) =>
        [.. samples.Where(s => s.Value != "NaN").Select(s => s.Labels.GetValueOrDefault("http_route") ?? "")];

    /// <summary>An instant query of Prometheus' HTTP API: each sample's labels and value.</summary>
    private static async Task<IReadOnlyList<(Dictionary<string, string> Labels, string Value)>> QueryAsync(HttpClient prometheus, string query)
    {
        using var response = await prometheus.GetAsync($"/api/v1/query?query={Uri.EscapeDataString(query)}", TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return [.. document.RootElement.GetProperty("data").GetProperty("result").EnumerateArray().Select(sample => (
            sample.GetProperty("metric").EnumerateObject().ToDictionary(label => label.Name, label => label.Value.GetString() ?? ""),
            sample.GetProperty("value")[1].GetString() ?? ""))];
    }
}
