using System.Text.Json;
using Stack.Hosting.Tests.GitOps;
using YamlDotNet.Serialization;

namespace Stack.Hosting.Tests.Observability;

/// <summary>
/// The committed Grafana dashboards (one ConfigMap per environment) against Grafana's published
/// schema: each JSON becomes a TypeScript object literal typed as <c>Dashboard</c> from npm
/// <c>@grafana/schema</c>, which <c>tsc --strict --noEmit</c> must accept (tests/Dashboards: the
/// pinned packages, installed with <c>npm ci</c> from the committed lock file).
/// </summary>
public sealed class DashboardTests
{
    private static readonly string Deploy = Path.Combine(PublishedGraph.RepositoryRoot, "infra", "deploy");
    private static readonly string Checker = Path.Combine(PublishedGraph.RepositoryRoot, "tests", "Dashboards");
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);
    private static readonly SemaphoreSlim OneAtATime = new(1, 1);

    /// <summary>The dashboard JSON of every environment, by environment.</summary>
    internal static IReadOnlyDictionary<string, string> CommittedDashboards() => Directory
        .GetDirectories(Path.Combine(Deploy, "overlays"))
        .Select(folder => Path.Combine(folder, "monitoring", "dashboard-configmap.yaml"))
        .ToDictionary(
            file => Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(file)))!,
            file => (string)((Dictionary<object, object>)new DeserializerBuilder().Build().Deserialize<Dictionary<string, object>>(File.ReadAllText(file))["data"]).Values.Single());

    [Fact]
    public async Task EveryEnvironmentsDashboardTypeChecksAsAGrafanaDashboardWithTscStrict()
    {
        var dashboards = CommittedDashboards();
        Assert.Equal(["dev", "prod", "staging"], dashboards.Keys.Order(StringComparer.Ordinal));

        var result = await TypeCheckAsync(dashboards);

        Assert.True(result.ExitCode == 0, result.AllOutput);
    }

    [Fact]
    public async Task ADashboardThatBreaksTheSchemaFailsTheCheck()
    {
        // The check is not a formality: a field of the wrong type, and a field Grafana does not know, fail it.
        var json = CommittedDashboards()["dev"];
        var wrongType = json.Replace("\"schemaVersion\": 41", "\"schemaVersion\": \"41\"", StringComparison.Ordinal);
        var unknownField = json.Replace("\"refresh\": \"30s\",", "\"refresh\": \"30s\", \"refreshEvery\": 30,", StringComparison.Ordinal);
        Assert.NotEqual(json, wrongType);
        Assert.NotEqual(json, unknownField);

        var result = await TypeCheckAsync(new Dictionary<string, string> { ["wrong-type"] = wrongType, ["unknown-field"] = unknownField });

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("wrong-type.ts", result.AllOutput, StringComparison.Ordinal);
        Assert.Contains("unknown-field.ts", result.AllOutput, StringComparison.Ordinal);
    }

    private static async Task<CommandLine.Result> TypeCheckAsync(IReadOnlyDictionary<string, string> dashboards)
    {
        await OneAtATime.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            await EnsurePackagesAsync();
            var generated = Path.Combine(Checker, "generated");
            if (Directory.Exists(generated))
            {
                Directory.Delete(generated, recursive: true);
            }

            Directory.CreateDirectory(generated);
            foreach (var (name, json) in dashboards)
            {
                using var _ = JsonDocument.Parse(json); // JSON first: what Grafana's sidecar reads.
                await File.WriteAllTextAsync(Path.Combine(generated, $"{name}.ts"),
                    $"import type {{ Dashboard }} from \"@grafana/schema\";\n\nexport const dashboard: Dashboard = {json.TrimEnd()};\n",
                    TestContext.Current.CancellationToken);
            }

            return await CommandLine.RunAsync(Checker, new Dictionary<string, string>(), Timeout,
                "node", Path.Combine("node_modules", "typescript", "bin", "tsc"), "--project", "tsconfig.json", "--strict", "--noEmit");
        }
        finally
        {
            OneAtATime.Release();
        }
    }

    // npm ci from the committed lock file, unless node_modules already holds exactly what it pins.
    private static async Task EnsurePackagesAsync()
    {
        var lockFile = Path.Combine(Checker, "package-lock.json");
        var installed = Path.Combine(Checker, "node_modules", ".package-lock.json");
        if (File.Exists(installed) && PinnedVersions(installed) == PinnedVersions(lockFile))
        {
            return;
        }

        var result = await CommandLine.RunAsync(Checker, new Dictionary<string, string>(), Timeout, "npm", "ci", "--no-audit", "--no-fund");
        Assert.True(result.ExitCode == 0, $"npm ci in {Checker} failed: {result.AllOutput}");
    }

    private static string PinnedVersions(string lockFile)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(lockFile));
        return string.Join(';', document.RootElement.GetProperty("packages").EnumerateObject()
            .Where(p => p.Name.StartsWith("node_modules/", StringComparison.Ordinal))
            .Select(p => $"{p.Name}@{p.Value.GetProperty("version").GetString()}")
            .Order(StringComparer.Ordinal));
    }
}
