namespace Stack.Hosting.Tests.Observability;

/// <summary>Prometheus' own rule checker and unit tester (Debian's <c>prometheus</c> package; tests/install-test-dependencies.sh installs it).</summary>
internal static class Promtool
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    public static string Path { get; } = Stack.Hosting.LocalInfrastructure.ExecutableSearch.Find("promtool")
        ?? throw new InvalidOperationException("promtool is not installed: run tests/install-test-dependencies.sh (apt-get install prometheus).");

    /// <summary><c>promtool check rules</c> over <paramref name="rulesFile"/>.</summary>
    public static Task<CommandLine.Result> CheckRulesAsync(string rulesFile) =>
        CommandLine.RunAsync(System.IO.Path.GetDirectoryName(rulesFile)!, new Dictionary<string, string>(), Timeout, Path, "check", "rules", rulesFile);

    /// <summary><c>promtool test rules</c> over <paramref name="testFile"/>.</summary>
    public static Task<CommandLine.Result> TestRulesAsync(string testFile) =>
        CommandLine.RunAsync(System.IO.Path.GetDirectoryName(testFile)!, new Dictionary<string, string>(), Timeout, Path, "test", "rules", testFile);
}
