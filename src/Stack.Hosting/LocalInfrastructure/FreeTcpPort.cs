using System.Net;
using System.Net.Sockets;

namespace Stack.Hosting.LocalInfrastructure;

/// <summary>Asks the OS for a loopback port that is free right now.</summary>
public static class FreeTcpPort
{
    /// <summary>A port nobody listens on at this moment (the OS picks it from the ephemeral range).</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
