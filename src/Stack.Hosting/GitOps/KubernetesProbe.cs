namespace Stack.Hosting.GitOps;

/// <summary>A container probe: an HTTP GET on the workload's HTTP endpoint, or a command run inside it.</summary>
public sealed record KubernetesProbe
{
    private KubernetesProbe(string? path, IReadOnlyList<string>? command, int? tcpPort)
    {
        Path = path;
        Command = command;
        TcpPort = tcpPort;
    }

    /// <summary>The HTTP path probed on the workload's first HTTP endpoint, when this is an HTTP probe.</summary>
    public string? Path { get; }

    /// <summary>The command run in the container, when this is an exec probe.</summary>
    public IReadOnlyList<string>? Command { get; }

    /// <summary>The port opened, when this is a TCP probe.</summary>
    public int? TcpPort { get; }

    /// <summary>An HTTP GET of <paramref name="path"/> that must answer 2xx or 3xx.</summary>
    public static KubernetesProbe Http(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new(path, null, null);
    }

    /// <summary>A command in the container that must exit 0.</summary>
    public static KubernetesProbe Exec(params string[] command)
    {
        ArgumentOutOfRangeException.ThrowIfZero(command.Length);
        return new(null, command, null);
    }

    /// <summary>A TCP connect to <paramref name="port"/> that must succeed.</summary>
    public static KubernetesProbe Tcp(int port)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(port);
        return new(null, null, port);
    }
}
