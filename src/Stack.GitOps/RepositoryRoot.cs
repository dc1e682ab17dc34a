namespace Stack.GitOps;

/// <summary>Finds the checkout a program runs in: the folder the repository paths of the tree and the policies are relative to.</summary>
public static class RepositoryRoot
{
    /// <summary>The nearest folder at or above <paramref name="start"/> holding <c>Stack.sln</c> or <c>.git</c>; <see langword="null"/> when there is none.</summary>
    public static string? Find(string start)
    {
        for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
        {
            var git = Path.Combine(folder.FullName, ".git");
            if (File.Exists(Path.Combine(folder.FullName, "Stack.sln")) || Directory.Exists(git) || File.Exists(git))
            {
                return folder.FullName;
            }
        }

        return null;
    }

    /// <summary>The checkout holding the AppHost folder <paramref name="appHostDirectory"/>; its parent when the AppHost is outside one.</summary>
    public static string OfAppHost(string appHostDirectory) =>
        Find(appHostDirectory) ?? Path.GetFullPath(Path.Combine(appHostDirectory, ".."));
}
