using System.Reflection;

namespace Stack.Cli.Tests;

/// <summary>Paths of the repository under test.</summary>
internal static class Repository
{
    public static string Root => RepositoryCheckout.Root;

    /// <summary>The policy fixtures (manifests that must pass or fail), shared with the policy engine's tests.</summary>
    public static string Fixtures { get; } = Path.Combine(Root, "tests", "Stack.Policy.Tests", "Fixtures");

    /// <summary>The `stack` program built alongside these tests, in the same configuration.</summary>
    public static string Cli { get; } = Path.Combine(Root, "src", "Stack.Cli", "bin", BuildConfiguration, "net10.0", "stack.dll");

    private static string BuildConfiguration => typeof(Repository).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(attribute => attribute.Key == "BuildConfiguration").Value!;
}
