using System.Globalization;

namespace Leaderboard.Bench.Measure;

/// <summary>What the numbers were measured on: hardware, load, and the versions of everything in the path.</summary>
internal static class Machine
{
    public static string CpuModel() =>
        File.ReadLines("/proc/cpuinfo").FirstOrDefault(line => line.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown";

    public static string Memory()
    {
        var total = File.ReadLines("/proc/meminfo").First(line => line.StartsWith("MemTotal:", StringComparison.Ordinal));
        var kilobytes = long.Parse(total.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        return $"{kilobytes / 1024.0 / 1024.0:0.#} GiB";
    }

    public static string Kernel() => File.ReadAllText("/proc/sys/kernel/osrelease").Trim();

    /// <summary>The 1-minute load average (runnable processes, all users of the machine).</summary>
    public static double LoadAverage() =>
        double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);

    public static async Task<IReadOnlyList<(string Name, string Version)>> VersionsAsync()
    {
        var postgres = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(directory => Path.Combine(directory, "bin", "postgres")).FirstOrDefault(File.Exists)
            : null;
        return
        [
            (".NET", System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription),
            ("redis-server", await Tool.VersionAsync("redis-server")),
            ("PostgreSQL", postgres is null ? "not found" : await Tool.VersionAsync(postgres)),
            ("wrk", await Tool.VersionAsync("wrk", "-v")),
            ("pgbench", await Tool.VersionAsync("pgbench")),
        ];
    }
}
