namespace Stack.Hosting.LocalInfrastructure;

/// <summary>Finds programs the way a shell would: on PATH, then in a few well-known folders.</summary>
public static class ExecutableSearch
{
    /// <summary>The full path of <paramref name="program"/> on PATH or in <paramref name="extraFolders"/>, or <see langword="null"/>.</summary>
    public static string? Find(string program, params IEnumerable<string> extraFolders)
    {
        var pathFolders = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);

        return FindIn(pathFolders.Concat(extraFolders), program);
    }

    /// <summary>The full path of <paramref name="program"/> in the first of <paramref name="folders"/> that has it, or <see langword="null"/>.</summary>
    public static string? FindIn(IEnumerable<string> folders, string program) =>
        folders.Select(folder => Path.Combine(folder, program)).FirstOrDefault(IsExecutableFile);

    private static bool IsExecutableFile(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        if (OperatingSystem.IsWindows())
        {
            return true;
        }

        const UnixFileMode anyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        return (File.GetUnixFileMode(path) & anyExecute) != 0;
    }
}
