using System.Globalization;
using System.Text.RegularExpressions;

namespace Leaderboard.Bench.Measure;

/// <summary>
/// Where the machine's cores went while a load ran: Linux <c>perf</c> samples every CPU, then the
/// samples are counted by process (idle included) and, inside the API replicas, by function. The
/// replicas run with <c>DOTNET_PerfMapEnabled=1</c> (BenchStack), so JIT-compiled .NET methods are
/// named, not just addresses.
/// </summary>
internal static partial class CpuProfile
{
    private const int Hertz = 499;

    public sealed record Share(string Name, double Percent);

    public sealed record Result(IReadOnlyList<Share> Processes, IReadOnlyList<Share> ApiFunctions, long Samples);

    /// <summary>Samples all CPUs for <paramref name="duration"/> (run it beside the load).</summary>
    public static async Task<string> RecordAsync(string folder, string name, TimeSpan duration)
    {
        var data = Path.Combine(folder, $"{name}.perf.data");
        var seconds = ((int)Math.Ceiling(duration.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        var result = await Tool.RunAsync("perf", ["record", "-a", "-F", Hertz.ToString(CultureInfo.InvariantCulture), "-o", data, "--", "sleep", seconds]);
        return result.ExitCode == 0 ? data : throw new InvalidOperationException($"perf record failed: {result.Error}");
    }

    /// <summary>The shares of the recorded samples: per process (named from /proc while they still run), and per function inside <paramref name="apiPids"/>.</summary>
    public static async Task<Result> SummarizeAsync(string data, IReadOnlyCollection<int> apiPids, int top = 15)
    {
        // One line per sample: the process id (the thread group), so threads add up to their process.
        var script = await Tool.RunAsync("perf", ["script", "-i", data, "-F", "pid"]);
        var perProcess = script.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => int.Parse(line, CultureInfo.InvariantCulture))
            .GroupBy(pid => pid)
            .Select(group => (Pid: group.Key, Samples: group.LongCount()))
            .ToList();
        var total = perProcess.Sum(entry => entry.Samples);
        var processes = perProcess
            .GroupBy(entry => NameOf(entry.Pid, apiPids))
            .Select(group => new Share(group.Key, 100.0 * group.Sum(entry => entry.Samples) / total))
            .OrderByDescending(share => share.Percent)
            .ToList();

        var report = await Tool.RunAsync("perf",
        [
            "report", "-i", data, "--stdio", "--no-children", "--sort", "sym", "-g", "none", "--percentage", "relative",
            "--pid", string.Join(',', apiPids.Select(pid => pid.ToString(CultureInfo.InvariantCulture))),
        ]);
        var functions = report.Output.Split('\n')
            .Select(line => ReportLine().Match(line))
            .Where(match => match.Success)
            .Select(match => new Share(match.Groups["symbol"].Value.Trim(), double.Parse(match.Groups["percent"].Value, CultureInfo.InvariantCulture)))
            .Take(top)
            .ToList();
        return new Result(processes, functions, total);
    }

    /// <summary>A share table as markdown rows.</summary>
    public static IEnumerable<string> Rows(IEnumerable<Share> shares) =>
        shares.Select(share => $"| {share.Name.Replace("|", "\\|", StringComparison.Ordinal)} | {share.Percent.ToString("0.0", CultureInfo.InvariantCulture)}% |");

    // Processes by what they are; the two API replicas by their role, everything else by its command.
    private static string NameOf(int pid, IReadOnlyCollection<int> apiPids)
    {
        if (pid == 0)
        {
            return "idle";
        }

        if (apiPids.Contains(pid))
        {
            return "leaderboard-api (both replicas)";
        }

        try
        {
            var command = File.ReadAllText($"/proc/{pid}/comm").Trim();
            return command is "postgres" or "redis-server" or "wrk" or "pgbench" or "dcp" or "dcpproc" ? command : $"{command} (other)";
        }
        catch (IOException)
        {
            return "exited processes";
        }
    }

    // "    12.34%  [.] Some.Method(...)" or "[k] kernel_function"
    [GeneratedRegex(@"^\s+(?<percent>\d+\.\d+)%\s+\[[.k]\]\s+(?<symbol>.+)$")]
    private static partial Regex ReportLine();
}
