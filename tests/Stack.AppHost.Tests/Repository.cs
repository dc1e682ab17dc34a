namespace Stack.AppHost.Tests;

/// <summary>Paths of the repository under test, found from the AppHost project this test references.</summary>
internal static class Repository
{
    /// <summary>The AppHost project folder (the generated metadata names the folder or the .csproj).</summary>
    public static string AppHostDirectory { get; } = File.Exists(Projects.AppHost.ProjectPath)
        ? Path.GetDirectoryName(Projects.AppHost.ProjectPath)!
        : Projects.AppHost.ProjectPath;

    public static string Root { get; } = Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(AppHostDirectory))!;
}
