namespace Stack.Cli;

/// <summary>The repository this command runs in: the nearest folder, upwards, holding Stack.sln or .git.</summary>
internal static class RepositoryRoot
{
    public static string? Find(string start)
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            var marker = Path.Combine(directory.FullName, ".git");
            if (File.Exists(Path.Combine(directory.FullName, "Stack.sln")) || Directory.Exists(marker) || File.Exists(marker))
            {
                return directory.FullName;
            }
        }

        return null;
    }
}
