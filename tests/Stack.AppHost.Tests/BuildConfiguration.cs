using System.Reflection;

namespace Stack.AppHost.Tests;

/// <summary>The configuration (Debug/Release) these tests were built in, so `--no-build` runs the same AppHost build.</summary>
internal static class BuildConfiguration
{
    public static string Name { get; } = typeof(BuildConfiguration).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(attribute => attribute.Key == "BuildConfiguration").Value!;
}
