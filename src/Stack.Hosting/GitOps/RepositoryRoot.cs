namespace Stack.Hosting.GitOps;

/// <summary>Finds the git checkout an AppHost lives in, where infra/ paths are relative to.</summary>
internal static class RepositoryRoot
{
    /// <summary>The nearest folder at or above <paramref name="start"/> holding <c>.git</c>; the parent of <paramref name="start"/> when there is none.</summary>
    public static string Find(string start)
    {
        for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
        {
            if (Directory.Exists(Path.Combine(folder.FullName, ".git")) || File.Exists(Path.Combine(folder.FullName, ".git")))
            {
                return folder.FullName;
            }
        }

        return Path.GetFullPath(Path.Combine(start, ".."));
    }
}
