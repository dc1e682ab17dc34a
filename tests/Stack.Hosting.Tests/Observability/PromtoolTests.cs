using Stack.Hosting.Observability;
using Stack.Hosting.Tests.GitOps;
using YamlDotNet.Serialization;

namespace Stack.Hosting.Tests.Observability;

/// <summary>The generated rules and analysis queries, judged by the real promtool: well-formed, and behaving as intended on input series.</summary>
public sealed class PromtoolTests
{
    private static readonly string Deploy = Path.Combine(PublishedGraph.RepositoryRoot, "infra", "deploy");

    private static readonly string UnitTests = Path.Combine(PublishedGraph.RepositoryRoot, "tests", "Stack.Hosting.Tests", "Observability", "slo-rules.test.yaml");

    public static TheoryData<string> Environments => new(CommittedTreeTests.Environments.Select(row => row.Data));

    [Theory]
    [MemberData(nameof(Environments))]
    public async Task ThePublishedPrometheusRuleOfEveryEnvironmentPassesPromtoolCheckRules(string environment)
    {
        var result = await CheckRulesAsync(RulesFileOf(Path.Combine(Deploy, "overlays", environment, "monitoring", "prometheusrule.yaml")));

        Assert.True(result.ExitCode == 0, result.AllOutput);
        Assert.Contains("SUCCESS", result.AllOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheRulesAndTheAnalysisQueriesPassTheirPromtoolUnitTests()
    {
        using var folder = new TemporaryDirectory();
        var objectives = new ServiceObjectives(TimeSpan.FromMilliseconds(250), 0.01, 0.999);
        File.WriteAllText(Path.Combine(folder.Path, "rules.yml"), SloRules.RulesFile([new ObservedService("leaderboard-api", objectives)]));
        var test = Path.Combine(folder.Path, "slo-rules.test.yaml");
        File.WriteAllText(test, File.ReadAllText(UnitTests)
            .Replace("${ANALYSIS_P95_IDLE}", AnalysisQueries.P95("stack-dev", "leaderboard-api", "idle000"), StringComparison.Ordinal)
            .Replace("${ANALYSIS_P95}", AnalysisQueries.P95("stack-dev", "leaderboard-api", "abc123"), StringComparison.Ordinal)
            .Replace("${ANALYSIS_ERROR_RATIO}", AnalysisQueries.ErrorRatio("stack-dev", "leaderboard-api", "abc123"), StringComparison.Ordinal));

        var result = await Promtool.TestRulesAsync(test);

        Assert.True(result.ExitCode == 0, result.AllOutput);
        Assert.Contains("SUCCESS", result.AllOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PromtoolCheckRulesRefusesABrokenRule()
    {
        // The checker is not a formality: a rule whose PromQL does not parse fails it.
        var result = await CheckRulesAsync(SloRules.RulesFile([new ObservedService("api", ServiceObjectives.Default)])
            .Replace("histogram_quantile(0.95,", "histogram_quantile(0.95,,", StringComparison.Ordinal));

        Assert.NotEqual(0, result.ExitCode);
    }

    private static async Task<CommandLine.Result> CheckRulesAsync(string rulesFile)
    {
        using var folder = new TemporaryDirectory();
        var rules = Path.Combine(folder.Path, "rules.yml");
        await File.WriteAllTextAsync(rules, rulesFile, TestContext.Current.CancellationToken);
        return await Promtool.CheckRulesAsync(rules);
    }

    /// <summary>The <c>spec.groups</c> of a PrometheusRule manifest, as a plain rules file.</summary>
    internal static string RulesFileOf(string prometheusRule)
    {
        var manifest = new DeserializerBuilder().Build().Deserialize<Dictionary<string, object>>(File.ReadAllText(prometheusRule));
        var spec = (Dictionary<object, object>)manifest["spec"];
        return new SerializerBuilder().Build().Serialize(new Dictionary<string, object> { ["groups"] = spec["groups"] });
    }
}
