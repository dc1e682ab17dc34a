using System.Reflection;

namespace Stack.Cluster.Tests;

/// <summary>Paths of the repository under test.</summary>
internal static class Repository
{
    public static string Root => RepositoryCheckout.Root;

    /// <summary>The rendered tree Argo CD syncs (infra/deploy).</summary>
    public static string Deploy { get; } = Path.Combine(Root, "infra", "deploy");

    /// <summary>The real policies: what the cluster enforces and `stack policy check` evaluates.</summary>
    public static string Policies { get; } = Path.Combine(Root, "infra", "policies");

    /// <summary>The policy fixtures (manifests that must pass or fail), owned by the policy engine's tests.</summary>
    public static string PolicyFixtures { get; } = Path.Combine(Root, "tests", "Stack.Policy.Tests", "Fixtures");

    /// <summary>The vendored upstream CRDs installed into every control plane.</summary>
    public static string Crds { get; } = Path.Combine(Root, "tests", "Stack.Cluster.Tests", "Crds");

    /// <summary>The `stack` program built alongside these tests, in the same configuration.</summary>
    public static string Cli { get; } = Path.Combine(Root, "src", "Stack.Cli", "bin", BuildConfiguration, "net10.0", "stack.dll");

    private static string BuildConfiguration => typeof(Repository).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(attribute => attribute.Key == "BuildConfiguration").Value!;
}
