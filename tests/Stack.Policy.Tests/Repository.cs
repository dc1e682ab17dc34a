namespace Stack.Policy.Tests;

/// <summary>Paths of the repository under test.</summary>
internal static class Repository
{
    public static string Root => RepositoryCheckout.Root;

    /// <summary>The real policies: the tests judge with what the cluster enforces.</summary>
    public static string Policies { get; } = Path.Combine(Root, "infra", "policies");

    public static string Fixtures { get; } = Path.Combine(Root, "tests", "Stack.Policy.Tests", "Fixtures");
}
