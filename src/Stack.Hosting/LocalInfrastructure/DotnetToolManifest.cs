using System.Text.Json;

namespace Stack.Hosting.LocalInfrastructure;

/// <summary>Reads <c>.config/dotnet-tools.json</c> the way <c>dotnet tool run</c> finds it: walking up from a folder.</summary>
public static class DotnetToolManifest
{
    /// <summary>Whether the nearest tool manifest above <paramref name="startDirectory"/> declares <paramref name="toolPackageId"/>.</summary>
    public static bool Declares(string startDirectory, string toolPackageId)
    {
        for (var directory = new DirectoryInfo(startDirectory); directory is not null; directory = directory.Parent)
        {
            var manifest = System.IO.Path.Combine(directory.FullName, ".config", "dotnet-tools.json");
            if (!File.Exists(manifest))
            {
                continue;
            }

            using var document = JsonDocument.Parse(File.ReadAllText(manifest));
            return document.RootElement.TryGetProperty("tools", out var tools)
                && tools.EnumerateObject().Any(tool => string.Equals(tool.Name, toolPackageId, StringComparison.OrdinalIgnoreCase));
        }

        return false;
    }
}
