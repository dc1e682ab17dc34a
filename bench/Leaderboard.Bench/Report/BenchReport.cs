using System.Globalization;
using System.Text;
using Leaderboard.Bench.Measure;

namespace Leaderboard.Bench.Report;

/// <summary>The results of one run, rendered as the markdown table of the performance issue plus the details behind it.</summary>
internal sealed class BenchReport
{
    /// <summary>Hand-written analysis below this heading survives a new run of the benchmark.</summary>
    public const string AnalysisHeading = "## What bounds each row";

    private readonly List<Row> _rows = [];
    private readonly List<(string Name, string Value)> _details = [];
    private readonly List<(string Phase, double LoadAverage)> _load = [];
    private readonly List<(string Run, CpuProfile.Result Profile)> _profiles = [];

    public sealed record Row(string Work, string Now, string Reference, string Ratio, string Target, bool? Met);

    public required BenchOptions Options { get; init; }

    public required IReadOnlyList<(string Name, string Value)> MachineDescription { get; init; }

    public void Add(Row row) => _rows.Add(row);

    public void Detail(string name, string value) => _details.Add((name, value));

    public void LoadAverage(string phase, double value) => _load.Add((phase, value));

    public void Profile(string run, CpuProfile.Result profile) => _profiles.Add((run, profile));

    public static string Ratio(double value) => $"{value.ToString("0.00", CultureInfo.InvariantCulture)}x";

    /// <summary>The results table alone, as printed at the end of a run.</summary>
    public string Table()
    {
        var text = new StringBuilder();
        text.AppendLine("| work | now | same-run reference | ratio | target | met |");
        text.AppendLine("|---|---|---|---|---|---|");
        foreach (var row in _rows)
        {
            var met = row.Met switch { true => "yes", false => "**no**", null => "" };
            text.AppendLine(CultureInfo.InvariantCulture, $"| {row.Work} | {row.Now} | {row.Reference} | {row.Ratio} | {row.Target} | {met} |");
        }

        return text.ToString();
    }

    /// <summary>The whole results file: when, on what, how, the table, the details; <paramref name="analysis"/> (kept from the previous file) at the end.</summary>
    public string Markdown(string commit, string? analysis)
    {
        var text = new StringBuilder();
        text.AppendLine("# Leaderboard benchmark: latest results");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Run {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC at commit `{commit}` with");
        text.AppendLine();
        text.AppendLine("```");
        text.AppendLine(CultureInfo.InvariantCulture, $"dotnet run -c Release --project bench/Leaderboard.Bench -- --players {Options.Players} --duration {(int)Options.Duration.TotalSeconds} --connections {Options.Connections}{(Options.Quick ? " --quick" : string.Empty)}");
        text.AppendLine("```");
        text.AppendLine();
        text.AppendLine("## Machine");
        text.AppendLine();
        text.AppendLine("| | |");
        text.AppendLine("|---|---|");
        foreach (var (name, value) in MachineDescription)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {value} |");
        }

        text.AppendLine();
        text.AppendLine("Load average (1 min, whole machine) when each phase began; the machine is shared, so other");
        text.AppendLine("people's builds and tests run beside the benchmark and take cores from it:");
        text.AppendLine();
        text.AppendLine(string.Join(", ", _load.Select(entry => $"{entry.Phase} {entry.LoadAverage.ToString("0.00", CultureInfo.InvariantCulture)}")));
        text.AppendLine();
        text.AppendLine("## Results");
        text.AppendLine();
        text.Append(Table());
        text.AppendLine();
        text.AppendLine("## Details");
        text.AppendLine();
        text.AppendLine("| measurement | value |");
        text.AppendLine("|---|---|");
        foreach (var (name, value) in _details)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {value} |");
        }

        foreach (var (run, profile) in _profiles)
        {
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"## CPU profile: {run}");
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"`perf record -a -F 499` over the measured run, {profile.Samples:N0} samples of both cores. By process:");
            text.AppendLine();
            text.AppendLine("| process | share of the machine |");
            text.AppendLine("|---|---|");
            foreach (var row in CpuProfile.Rows(profile.Processes))
            {
                text.AppendLine(row);
            }

            text.AppendLine();
            text.AppendLine("Inside the API replicas, by function (self time, share of the replicas' samples):");
            text.AppendLine();
            text.AppendLine("| function | share of the replicas |");
            text.AppendLine("|---|---|");
            foreach (var row in CpuProfile.Rows(profile.ApiFunctions))
            {
                text.AppendLine(row);
            }
        }

        text.AppendLine();
        text.AppendLine("## How it was measured");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"""
            - The AppHost's graph (`AppHost/Program.cs`) started in this build's configuration through
              Aspire's testing host: two API replicas behind the AppHost's proxy, `redis-server` and
              PostgreSQL as local processes (`Stack:LocalInfrastructure=processes`), without the
              dashboard (so no OTLP export), with a data folder of its own.
            - Players are loaded straight into PostgreSQL with binary `COPY` (ids `player-000000001`...,
              scores uniform in 0..9,999,999, subscore 0), then the index is rebuilt through the admin
              endpoint (`POST /api/leaderboards/{"{board}"}/index/rebuild`), timed by the client.
            - HTTP load: `wrk -t {Options.Threads} -c {Options.Connections} -d {(int)Options.Duration.TotalSeconds}s` after {(int)Options.Warmup.TotalSeconds} s of unmeasured
              warm-up per endpoint, through the proxy. Reads pick a random player of the board per request;
              writes are `best` scores of players new on every request, on the big board.
            - Rate limits are the defaults (`Leaderboard:RateLimits:*` not set): 20 requests/s per client
              address anonymously, 10,000/s for the server key, 1,000/s for the admin key, per replica.
              The load is sent with the server key, as a game-server fleet sends it; `/alive` is not
              limited. Any 429 would show as non-2xx in the details.
            - Writes are compared with `pgbench` running the single-row upsert of a `best` score
              (`INSERT ... ON CONFLICT DO UPDATE ... WHERE` better) with the same number of clients,
              against the same PostgreSQL, new players too.
            - Redis bytes per entry: `used_memory` (INFO) after the rebuild minus before it, over the
              entries; the reference copies the index's sorted set member by member into a scratch key
              with raw `ZADD` and measures it the same way.
            - CPU profiles: `perf record -a` over the measured `/top` and write runs; the .NET processes
              run with `DOTNET_PerfMapEnabled=1` and `DOTNET_EnableWriteXorExecute=0`, so perf can name
              JIT-compiled methods.
            - The SQL-only baseline computes a rank the way a service without an index would:
              `count(*)` of the better records, with pgbench, {Options.Connections} clients.
            """);
        text.AppendLine();
        text.AppendLine(analysis ?? $"{AnalysisHeading}\n\n(not written yet)");
        return text.ToString();
    }

    /// <summary>The analysis section of an existing results file, to carry over.</summary>
    public static string? AnalysisOf(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        var text = File.ReadAllText(path);
        var at = text.IndexOf(AnalysisHeading, StringComparison.Ordinal);
        return at < 0 ? null : text[at..].TrimEnd() + Environment.NewLine;
    }
}
