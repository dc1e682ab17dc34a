using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Stack.Hosting.LocalInfrastructure;

/// <summary>
/// Picks a loopback port for a server the AppHost starts later (PostgreSQL, Prometheus).
/// </summary>
/// <remarks>
/// The port is chosen below the kernel's ephemeral range. A port the OS hands out for "any port"
/// lies inside that range, and so does the local end of every outgoing connection: between the
/// pick and the server's own bind (initdb runs in between), a busy machine's clients could take
/// it, and the server then fails with "address already in use". Ports below the range are only
/// ever taken by an explicit bind.
/// </remarks>
public static class FreeTcpPort
{
    /// <summary>The lowest port picked: above the registered ports most services use by default.</summary>
    public const int Lowest = 10000;

    /// <summary>Where the ephemeral range begins when the kernel does not say (the IANA dynamic range).</summary>
    public const int DefaultEphemeralStart = 49152;

    private const string LinuxEphemeralRange = "/proc/sys/net/ipv4/ip_local_port_range";
    private const int Attempts = 64;

    /// <summary>A loopback port nobody listens on now, outside the range the OS gives to outgoing connections.</summary>
    public static int Next() => Next(Lowest, EphemeralStart(), Random.Shared);

    /// <summary>A free port in [<paramref name="lowest"/>, <paramref name="ephemeralStart"/>); the OS's own pick if none is found.</summary>
    internal static int Next(int lowest, int ephemeralStart, Random random)
    {
        if (ephemeralStart > lowest)
        {
            for (var attempt = 0; attempt < Attempts; attempt++)
            {
                var candidate = random.Next(lowest, ephemeralStart);
                if (IsFree(candidate))
                {
                    return candidate;
                }
            }
        }

        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The first port of the kernel's ephemeral range, read from <paramref name="rangeFile"/>.</summary>
    internal static int EphemeralStart(string rangeFile = LinuxEphemeralRange)
    {
        try
        {
            var first = File.ReadAllText(rangeFile).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
            return int.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var start) && start is > 0 and <= IPEndPoint.MaxPort
                ? start
                : DefaultEphemeralStart;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return DefaultEphemeralStart;
        }
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
