using System.Text.Json;

namespace Stack.Hosting.LocalInfrastructure;

/// <summary>Reads <c>.config/dotnet-tools.json</c> the way <c>dotnet tool run</c> finds it: walking up from a folder.</summary>
public static class DotnetToolManifest
{
    /// <summary>The nearest <c>.config/dotnet-tools.json</c> at or above <paramref name="startDirectory"/>, or <see langword="null"/>.</summary>
    public static string? Find(string startDirectory)
    {
        for (var directory = new DirectoryInfo(startDirectory); directory is not null; directory = directory.Parent)
        {
            var manifest = Path.Combine(directory.FullName, ".config", "dotnet-tools.json");
            if (File.Exists(manifest))
            {
                return manifest;
            }
        }

        return null;
    }

    /// <summary>Whether the nearest tool manifest above <paramref name="startDirectory"/> declares <paramref name="toolPackageId"/>.</summary>
    public static bool Declares(string startDirectory, string toolPackageId)
    {
        if (Find(startDirectory) is not { } manifest)
        {
            return false;
        }

        using var document = JsonDocument.Parse(File.ReadAllText(manifest));
        return document.RootElement.TryGetProperty("tools", out var tools)
            && tools.EnumerateObject().Any(tool => string.Equals(tool.Name, toolPackageId, StringComparison.OrdinalIgnoreCase));
    }
}
