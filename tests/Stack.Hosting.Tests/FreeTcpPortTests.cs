using System.Net;
using System.Net.Sockets;
using Stack.Hosting.LocalInfrastructure;

namespace Stack.Hosting.Tests;

public sealed class FreeTcpPortTests
{
    [Fact]
    public void ThePortIsBelowTheKernelsEphemeralRangeSoNoOutgoingConnectionCanHoldIt()
    {
        // Read the range here rather than through the code under test.
        var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split('\t', ' ', '\n');
        var ephemeralStart = int.Parse(range[0], System.Globalization.CultureInfo.InvariantCulture);

        for (var pick = 0; pick < 20; pick++)
        {
            var port = FreeTcpPort.Next();
            Assert.InRange(port, FreeTcpPort.Lowest, ephemeralStart - 1);
        }
    }

    [Fact]
    public void APortSomeoneListensOnIsNeverPicked()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        // The only candidate is taken, so the pick falls back to a port the OS chooses.
        Assert.NotEqual(port, FreeTcpPort.Next(port, port + 1, new Random(1)));
    }

    [Fact]
    public void AFreePortInTheRangeIsPicked()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        Assert.Equal(port, FreeTcpPort.Next(port, port + 1, new Random(1)));
    }

    [Theory]
    [InlineData("32768\t60999\n", 32768)]
    [InlineData("1024 65535", 1024)]
    [InlineData("not a range", FreeTcpPort.DefaultEphemeralStart)]
    [InlineData("", FreeTcpPort.DefaultEphemeralStart)]
    [InlineData("70000\t80000", FreeTcpPort.DefaultEphemeralStart)]
    public void TheEphemeralRangeIsReadFromTheKernelsFile(string contents, int expected)
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, contents);
            Assert.Equal(expected, FreeTcpPort.EphemeralStart(file));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void WithoutTheKernelsFileTheIanaDynamicRangeIsAssumed() =>
        Assert.Equal(FreeTcpPort.DefaultEphemeralStart, FreeTcpPort.EphemeralStart(Path.Combine(Path.GetTempPath(), $"no-such-{Guid.NewGuid():N}")));
}
