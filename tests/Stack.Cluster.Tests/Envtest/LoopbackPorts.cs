using System.Net;
using System.Net.Sockets;

namespace Stack.Cluster.Tests.Envtest;

/// <summary>Ports on 127.0.0.1 that nothing listens on right now (another process may still take one first: callers retry).</summary>
internal static class LoopbackPorts
{
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
