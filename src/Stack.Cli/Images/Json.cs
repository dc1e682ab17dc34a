using System.Text.Json.Nodes;

namespace Stack.Cli.Images;

/// <summary>The JSON shapes manifests share.</summary>
internal static class Json
{
    public static JsonObject Descriptor(Descriptor descriptor) => new()
    {
        ["mediaType"] = descriptor.MediaType,
        ["digest"] = descriptor.Digest,
        ["size"] = descriptor.Size,
    };
}
