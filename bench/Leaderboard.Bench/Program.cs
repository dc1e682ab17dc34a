using Leaderboard.Bench;
using Leaderboard.Bench.Measure;
using Leaderboard.Bench.Report;
using Leaderboard.Bench.Stack;

// The leaderboard benchmark: see README (Benchmark) and bench/results.md.
BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (Exception exception) when (exception is ArgumentException or FormatException)
{
    Console.Error.WriteLine(exception.Message);
    return 2;
}

var log = Console.Out;
await Tool.EnsureInstalledAsync(log, ("wrk", "wrk"), ("pgbench", "postgresql-client"), ("redis-server", "redis-server"), ("perf", "linux-perf"));

var versions = await Machine.VersionsAsync();
var report = new BenchReport
{
    Options = options,
    MachineDescription =
    [
        ("CPU", $"{Environment.ProcessorCount} cores, {Machine.CpuModel()}"),
        ("Memory", Machine.Memory()),
        ("Kernel", Machine.Kernel()),
        .. versions,
    ],
};

await using (var stack = await BenchStack.StartAsync(log))
{
    await new BenchRun(stack, options, report, log).RunAsync();
}

var commit = (await Tool.RunAsync("git", ["-C", Repository.Root, "describe", "--always", "--dirty"])).Output.Trim();
var markdown = report.Markdown(commit, BenchReport.AnalysisOf(options.Output));
Directory.CreateDirectory(Path.GetDirectoryName(options.Output)!);
await File.WriteAllTextAsync(options.Output, markdown);

log.WriteLine();
log.Write(report.Table());
log.WriteLine();
log.WriteLine($"Written to {options.Output}");
return 0;
