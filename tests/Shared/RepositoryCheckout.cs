namespace Stack.Tests.Shared;

/// <summary>The checkout under test: the nearest folder above the test binaries holding Stack.sln.</summary>
internal static class RepositoryCheckout
{
    public static string Root { get; } = FindRoot(AppContext.BaseDirectory);

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
