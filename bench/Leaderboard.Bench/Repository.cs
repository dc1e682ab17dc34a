namespace Leaderboard.Bench;

/// <summary>The checkout this benchmark belongs to, found from the AppHost project it references.</summary>
internal static class Repository
{
    /// <summary>The AppHost project folder (the generated metadata names the folder or the .csproj).</summary>
    private static string AppHostDirectory { get; } = File.Exists(Projects.AppHost.ProjectPath)
        ? Path.GetDirectoryName(Projects.AppHost.ProjectPath)!
        : Projects.AppHost.ProjectPath;

    public static string Root { get; } = Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(AppHostDirectory))!;
}
