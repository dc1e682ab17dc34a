namespace Stack.Policy.Tests;

/// <summary>Paths of the repository under test, found by walking up from the test binaries to Stack.sln.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot(AppContext.BaseDirectory);

    /// <summary>The real policies: the tests judge with what the cluster enforces.</summary>
    public static string Policies { get; } = Path.Combine(Root, "infra", "policies");

    public static string Fixtures { get; } = Path.Combine(Root, "tests", "Stack.Policy.Tests", "Fixtures");

    private static string FindRoot(string start)
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Stack.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Stack.sln above {start}.");
    }
}
