namespace Stack.Hosting.LocalInfrastructure;

/// <summary>Which Redis-compatible server runs in process mode, and how to start it.</summary>
/// <param name="Kind">The server that was found.</param>
/// <param name="Command">Full path of the program to start.</param>
/// <param name="LeadingArgs">Arguments before the server's own (the <c>dotnet tool run</c> prefix for Garnet).</param>
public sealed record RedisServerProgram(RedisServerKind Kind, string Command, IReadOnlyList<string> LeadingArgs)
{
    private const string GarnetToolName = "garnet-server";

    /// <summary>
    /// <c>redis-server</c> from PATH when present; otherwise Garnet from the repository's dotnet tool
    /// manifest, so Redis needs no install at all. <see langword="null"/> when neither can be started.
    /// </summary>
    public static RedisServerProgram? Find(string repositoryDirectory)
    {
        if (ExecutableSearch.Find("redis-server") is { } redisServer)
        {
            return new RedisServerProgram(RedisServerKind.Redis, redisServer, []);
        }

        var dotnet = DotnetHost.Find();
        if (dotnet is not null && DotnetToolManifest.Declares(repositoryDirectory, GarnetToolName))
        {
            return new RedisServerProgram(RedisServerKind.Garnet, dotnet, ["tool", "run", GarnetToolName, "--"]);
        }

        return null;
    }
}

/// <summary>The Redis-compatible servers process mode knows how to run.</summary>
public enum RedisServerKind
{
    /// <summary>The real <c>redis-server</c>.</summary>
    Redis,

    /// <summary>Microsoft Garnet, run from the repository's dotnet tool manifest.</summary>
    Garnet,
}
