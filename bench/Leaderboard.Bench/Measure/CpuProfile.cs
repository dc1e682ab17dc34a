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
        // One line per sample: the process id (the thread group, so threads add up to their process)
        // and the thread's command, which names a process that has exited since.
        var script = await Tool.RunAsync("perf", ["script", "-i", data, "-F", "pid,comm"]);
        var samples = script.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => SampleLine().Match(line))
            .Where(match => match.Success)
            .Select(match => (Pid: int.Parse(match.Groups["pid"].Value, CultureInfo.InvariantCulture), Command: match.Groups["comm"].Value.Trim()))
            .ToList();
        var names = samples.Select(sample => sample.Pid).Distinct().ToDictionary(pid => pid, pid => NameOf(pid, apiPids, samples.First(sample => sample.Pid == pid).Command));
        var processes = samples
            .GroupBy(sample => names[sample.Pid])
            .Select(group => new Share(group.Key, 100.0 * group.Count() / samples.Count))
            .Where(share => share.Percent >= 0.1)
            .OrderByDescending(share => share.Percent)
            .ToList();

        var pids = string.Join(',', apiPids.Select(pid => pid.ToString(CultureInfo.InvariantCulture)));
        return new Result(processes, await FunctionsAsync(data, pids, top), samples.Count);
    }

    // perf's own table of the replicas' samples by function, relative to the replicas. perf keeps each
    // replica's JIT-compiled code apart (the same method once per replica): both add up under one name.
    private static async Task<List<Share>> FunctionsAsync(string data, string pids, int top)
    {
        var report = await Tool.RunAsync("perf", ["report", "-i", data, "--stdio", "--no-children", "--sort", "sym", "-g", "none", "--percentage", "relative", "--pid", pids]);
        return [.. report.Output.Split('\n')
            .Select(line => ReportLine().Match(line))
            .Where(match => match.Success)
            .Select(match => new Share(match.Groups["name"].Value.Trim(), double.Parse(match.Groups["percent"].Value, CultureInfo.InvariantCulture)))
            .GroupBy(share => share.Name)
            .Select(group => new Share(group.Key, group.Sum(share => share.Percent)))
            .OrderByDescending(share => share.Percent)
            .Take(top)];
    }

    /// <summary>A share table as markdown rows.</summary>
    public static IEnumerable<string> Rows(IEnumerable<Share> shares) =>
        shares.Select(share => $"| {share.Name.Replace("|", "\\|", StringComparison.Ordinal)} | {share.Percent.ToString("0.0", CultureInfo.InvariantCulture)}% |");

    // Processes by what they are; the two API replicas by their role, everything else by its command.
    private static string NameOf(int pid, IReadOnlyCollection<int> apiPids, string threadCommand)
    {
        if (pid == 0)
        {
            return "idle";
        }

        if (apiPids.Contains(pid))
        {
            return "leaderboard-api (both replicas)";
        }

        string command;
        try
        {
            command = File.ReadAllText($"/proc/{pid}/comm").Trim();
        }
        catch (IOException)
        {
            command = threadCommand;
        }

        return command switch
        {
            "postgres" or "redis-server" or "wrk" or "pgbench" or "dcp" => command,
            _ when command.StartsWith("Leaderboard.Sta", StringComparison.Ordinal) => "leaderboard-stats (both workers)",
            _ when command.StartsWith("Leaderboard.Ben", StringComparison.Ordinal) => "the benchmark itself (Aspire host, probes)",
            _ => $"{command} (other)",
        };
    }

    // "  1234 wrk" (pid, then the thread's command)
    [GeneratedRegex(@"^(?<comm>.+?)\s+(?<pid>\d+)$")]
    private static partial Regex SampleLine();

    // "    12.34%  [.] Some.Method(...)" or "    12.34%  [k] kernel_function"
    [GeneratedRegex(@"^\s+(?<percent>\d+\.\d+)%\s+\[[.k]\]\s+(?<name>\S.*)$")]
    private static partial Regex ReportLine();
}
