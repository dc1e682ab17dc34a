using System.Text.Json.Nodes;

namespace Stack.Cli.Images;

/// <summary>The project resources of the AppHost graph, read from the committed Aspire manifest: each is published as an image named after its resource.</summary>
internal static class PublishedProjects
{
    /// <summary>(resource name, project file relative to the manifest) of every project resource, in ordinal order of names.</summary>
    public static IReadOnlyList<(string Name, string Project)> Read(string manifest)
    {
        JsonObject? resources;
        try
        {
            resources = JsonNode.Parse(manifest)?["resources"] as JsonObject;
        }
        catch (System.Text.Json.JsonException exception)
        {
            throw new ImageException($"the Aspire manifest is not JSON: {exception.Message}");
        }

        return (resources ?? [])
            .Where(resource => resource.Value?["type"]?.GetValue<string>() is { } type && type.StartsWith("project.", StringComparison.Ordinal) && resource.Value?["path"] is not null)
            .Select(resource => (resource.Key, resource.Value!["path"]!.GetValue<string>()))
            .OrderBy(project => project.Key, StringComparer.Ordinal)
            .ToList();
    }
}
