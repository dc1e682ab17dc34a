namespace Stack.Cli.Tests;

/// <summary>The command line CI and people run carries only what it uses: no AppHost, database or cache client.</summary>
public sealed class CliDependenciesTests
{
    [Fact]
    public void TheBuiltCliHoldsNoAspireNpgsqlOrRedisAssembly()
    {
        var folder = Path.GetDirectoryName(Repository.Cli)!;
        var assemblies = Directory.GetFiles(folder, "*.dll").Select(Path.GetFileName).ToList();

        Assert.Contains("Stack.GitOps.dll", assemblies);
        Assert.Contains("Stack.Policy.dll", assemblies);
        Assert.Contains("Leaderboard.Recaps.dll", assemblies);
        Assert.DoesNotContain(assemblies, name =>
            name!.StartsWith("Aspire.", StringComparison.Ordinal)
            || name.StartsWith("Npgsql", StringComparison.Ordinal)
            || name.StartsWith("StackExchange.Redis", StringComparison.Ordinal)
            || name == "Stack.Hosting.dll");
    }
}
