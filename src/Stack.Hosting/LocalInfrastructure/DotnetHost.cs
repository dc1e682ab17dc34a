namespace Stack.Hosting.LocalInfrastructure;

/// <summary>Locates the <c>dotnet</c> host that runs repository-local tools such as Garnet.</summary>
public static class DotnetHost
{
    /// <summary>The full path of <c>dotnet</c>: the SDK's own choice first, then PATH.</summary>
    public static string? Find() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath && File.Exists(hostPath)
            ? hostPath
            : ExecutableSearch.Find(OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
}
