using Stack.Cluster.Tests.Policies;

namespace Stack.Cluster.Tests;

/// <summary>The offline engine's verdicts on every policy fixture: `stack policy check` run once over all of them.</summary>
public sealed class PolicyFixtureVerdicts
{
    private readonly Lazy<Task<OfflineCheck>> _offline = new(() => OfflineCheck.RunAsync(Files.Select(Path)));

    /// <summary>Every fixture, passing and failing, relative to the fixtures folder.</summary>
    public static IReadOnlyList<string> Files { get; } =
        [.. Directory.EnumerateFiles(Repository.PolicyFixtures, "*.yaml", SearchOption.AllDirectories)
            .Select(file => System.IO.Path.GetRelativePath(Repository.PolicyFixtures, file))
            .Order(StringComparer.Ordinal)];

    public static string Path(string fixture) => System.IO.Path.Combine(Repository.PolicyFixtures, fixture);

    internal Task<OfflineCheck> OfflineAsync() => _offline.Value;
}
