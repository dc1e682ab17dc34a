using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Leaderboard.Bench.Load;
using Leaderboard.Bench.Measure;
using Leaderboard.Bench.Report;
using Leaderboard.Bench.Stack;
using StackExchange.Redis;

namespace Leaderboard.Bench;

/// <summary>
/// One run: load the boards, rebuild the big one (timed, with its memory), then the load runs, each
/// against its same-run reference, in an order where no run disturbs a later measurement.
/// </summary>
internal sealed class BenchRun(BenchStack stack, BenchOptions options, BenchReport report, TextWriter log)
{
    private string BigBoard => $"bench-{options.Players}";

    private string SmallBoard => $"bench-{options.SmallPlayers}";

    private const string PgBenchBoard = "bench-pgbench";

    private const string ProbeBoard = "bench-stats-probe";

    private readonly string _profiles = Directory.CreateTempSubdirectory("leaderboard-bench-perf-").FullName;

    public async Task RunAsync()
    {
        using var admin = stack.Client(BenchStack.AdminKey);
        using var redis = await ConnectionMultiplexer.ConnectAsync(stack.CacheConnectionString + ",allowAdmin=true,syncTimeout=60000,asyncTimeout=60000");
        var server = redis.GetServers()[0];

        foreach (var board in new[] { BigBoard, SmallBoard, PgBenchBoard, ProbeBoard })
        {
            var created = await admin.PutAsJsonAsync($"/api/leaderboards/{board}", new { sortOrder = "descending", @operator = "best" });
            Check(created, HttpStatusCode.Created, $"create {board}");
        }

        Phase("load");
        log.WriteLine($"Loading {options.SmallPlayers:N0} and {options.Players:N0} players into PostgreSQL with COPY");
        await PlayerLoader.LoadAsync(stack.DatabaseConnectionString, SmallBoard, options.SmallPlayers);
        var loaded = await PlayerLoader.LoadAsync(stack.DatabaseConnectionString, BigBoard, options.Players);
        report.Detail($"COPY of {options.Players:N0} players into PostgreSQL", $"{loaded.TotalSeconds:0.0} s");

        // The loaded records are changes like any other: the stats workers apply them while the index is rebuilt.
        var statsCaughtUp = StatsCountAsync(admin, BigBoard, options.Players);
        await RebuildAsync(admin, SmallBoard);

        Phase("rebuild");
        var before = await RedisMemory.UsedBytesAsync(server);
        // Profiled for the first 10 s of the rebuild (it takes about that long at 1M).
        var replicasAtRebuild = await stack.ApiProcessIdsAsync();
        var rebuildProfile = ProfileAsync($"index rebuild, {options.Players:N0} entries", replicasAtRebuild, TimeSpan.FromSeconds(11));
        var rebuild = await RebuildAsync(admin, BigBoard);
        await rebuildProfile;
        var after = await RedisMemory.UsedBytesAsync(server);
        var perEntry = (after - before) / (double)options.Players;
        log.WriteLine($"Rebuilt {options.Players:N0} entries in {rebuild.TotalSeconds:0.0} s; the index takes {perEntry:0} B per entry");

        var replicas = await stack.ApiProcessIdsAsync();
        var rss = replicas.Select(pid => ProcessMemory.ResidentBytes(pid) / 1024.0 / 1024.0).ToArray();
        report.Detail($"RSS of each API replica after the {options.Players:N0} rebuild", string.Join(", ", rss.Select(mb => $"{mb:0} MiB")) + $" (pids {string.Join(", ", replicas)})");

        // The load runs start once the stats count every loaded record.
        report.Detail($"Stats of the {options.Players:N0} loaded records applied by the stats workers", $"{(await statsCaughtUp).TotalSeconds:0.0} s after the COPY");

        var rankingKey = await RedisMemory.RankingKeyAsync(redis, BigBoard, options.Players);
        var raw = await RedisMemory.RawSortedSetBytesPerMemberAsync(redis, rankingKey);
        report.Detail("Redis used_memory for the index, whole", $"{after - before:N0} B for {options.Players:N0} entries");

        Phase("reads");
        var alive = await HttpAsync("GET /alive", "get.lua", "/alive", key: null, players: 0);
        var top = await HttpAsync("GET /top?limit=10", "get.lua", $"/api/leaderboards/{BigBoard}/top?limit=10", BenchStack.ServerKey, players: 0,
            beside: duration => ProfileAsync("GET /top?limit=10", replicas, duration));
        var rank = await HttpAsync("GET /players/{id}", "get.lua", $"/api/leaderboards/{BigBoard}/players/{{id}}", BenchStack.ServerKey, options.Players);
        var around = await HttpAsync("GET /players/{id}/around?radius=5", "get.lua", $"/api/leaderboards/{BigBoard}/players/{{id}}/around?radius=5", BenchStack.ServerKey, options.Players);

        Phase("rank latency");
        var smallLatency = await HttpAsync($"rank, 1 connection, {options.SmallPlayers:N0} entries", "get.lua", $"/api/leaderboards/{SmallBoard}/players/{{id}}", BenchStack.ServerKey, options.SmallPlayers, connections: 1, threads: 1);
        var bigLatency = await HttpAsync($"rank, 1 connection, {options.Players:N0} entries", "get.lua", $"/api/leaderboards/{BigBoard}/players/{{id}}", BenchStack.ServerKey, options.Players, connections: 1, threads: 1);

        Phase("SQL count");
        var sqlRank = await PgBenchAsync("SQL-only rank (count of better records)", SqlRankScript());

        Phase("writes");
        var probeDelays = new List<TimeSpan>();
        var writes = await HttpAsync("PUT score (best, new players)", "put.lua", $"/api/leaderboards/{BigBoard}/scores/", BenchStack.ServerKey, players: 0,
            beside: async duration =>
            {
                using var probing = new CancellationTokenSource(duration);
                using var server = stack.Client(BenchStack.ServerKey);
                var probe = new StatsProbe(server, ProbeBoard).RunAsync(probing.Token);
                await ProfileAsync("PUT score", replicas, duration);
                probeDelays = await probe;
            });
        var upsert = await PgBenchAsync("pgbench single-row upsert", UpsertScript());

        report.Add(Read("GET /top?limit=10", top, alive, 0.5));
        report.Add(Read("GET /players/{id} (rank)", rank, alive, 0.5));
        report.Add(Read("GET /players/{id}/around?radius=5", around, alive, 0.4));
        var writeRatio = writes.RequestsPerSecond / upsert.TransactionsPerSecond;
        report.Add(new BenchReport.Row(
            "PUT score (best, new players)",
            $"{writes.RequestsPerSecond:N0} /s, p99 {writes.P99Ms:0} ms",
            $"pgbench single-row upsert, {options.Connections} clients: {upsert.TransactionsPerSecond:N0} tps",
            BenchReport.Ratio(writeRatio),
            "≥ 1.0x",
            writeRatio >= 1.0 && writes.Non2xx == 0));
        var slowest = probeDelays.Count == 0 ? TimeSpan.MaxValue : probeDelays.Max();
        report.Add(new BenchReport.Row(
            "stats move after a submission, during the PUT load",
            probeDelays.Count == 0 ? "no probe answered" : $"median {Median(probeDelays).TotalSeconds:0.00} s, slowest {slowest.TotalSeconds:0.00} s",
            $"{probeDelays.Count} probes",
            string.Empty,
            "≤ 2 s",
            slowest <= TimeSpan.FromSeconds(2)));
        report.Add(new BenchReport.Row(
            "Redis memory per entry",
            $"{perEntry:0} B",
            $"raw ZADD of the same members {raw:0} B",
            BenchReport.Ratio(perEntry / raw),
            "≤ 1.2x",
            perEntry / raw <= 1.2));
        report.Add(new BenchReport.Row(
            $"index rebuild, {options.Players:N0} entries",
            $"{rebuild.TotalSeconds:0.0} s",
            string.Empty,
            string.Empty,
            options.Players == 1_000_000 ? "≤ 10 s" : "≤ 10 s per 1M",
            rebuild.TotalSeconds <= 10.0 * Math.Max(1, options.Players / 1_000_000.0)));
        var sqlRatio = rank.RequestsPerSecond / sqlRank.TransactionsPerSecond;
        report.Add(new BenchReport.Row(
            "rank vs SQL-only COUNT baseline",
            $"{rank.RequestsPerSecond:N0} vs {sqlRank.TransactionsPerSecond:N1} req/s",
            string.Empty,
            $"{sqlRatio:N0}x",
            "keep ≥ 100x",
            sqlRatio >= 100));
        report.Add(new BenchReport.Row(
            $"rank latency, {options.SmallPlayers:N0} vs {options.Players:N0} entries (1 connection)",
            $"mean {smallLatency.MeanMs:0.00} vs {bigLatency.MeanMs:0.00} ms",
            $"p99 {smallLatency.P99Ms:0.00} vs {bigLatency.P99Ms:0.00} ms",
            BenchReport.Ratio(bigLatency.MeanMs / smallLatency.MeanMs),
            $"O(log N): far below N's {options.Players / (double)options.SmallPlayers:N0}x",
            null));
        report.Add(new BenchReport.Row(
            $"RSS of each replica after the {options.Players:N0} rebuild",
            string.Join(", ", rss.Select(mb => $"{mb:0} MiB")),
            string.Empty,
            string.Empty,
            string.Empty,
            null));
    }

    private BenchReport.Row Read(string work, Wrk.Result result, Wrk.Result alive, double target)
    {
        var ratio = result.RequestsPerSecond / alive.RequestsPerSecond;
        return new BenchReport.Row(
            work,
            $"{result.RequestsPerSecond:N0} req/s, p99 {result.P99Ms:0} ms",
            $"GET /alive {alive.RequestsPerSecond:N0} req/s",
            BenchReport.Ratio(ratio),
            $"≥ {target:0.0}x",
            ratio >= target && result.Non2xx == 0);
    }

    private static TimeSpan Median(List<TimeSpan> values) => values.Order().ElementAt(values.Count / 2);

    /// <summary>How long until the board's stats count <paramref name="entries"/> players.</summary>
    private static async Task<TimeSpan> StatsCountAsync(HttpClient client, string board, long entries)
    {
        var clock = Stopwatch.StartNew();
        while ((await client.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/leaderboards/{board}/stats")).GetProperty("entries").GetInt64() < entries)
        {
            if (clock.Elapsed > TimeSpan.FromMinutes(15))
            {
                throw new TimeoutException($"The stats of {board} did not count {entries:N0} players in 15 minutes.");
            }

            await Task.Delay(250);
        }

        return clock.Elapsed;
    }

    /// <summary>Samples the machine's CPUs for the length of a measured run and adds where they went to the report.</summary>
    private async Task ProfileAsync(string run, IReadOnlyList<int> replicas, TimeSpan duration)
    {
        // A second short of the run, so the sampling ends while the load still runs.
        var data = await CpuProfile.RecordAsync(_profiles, run.Replace(' ', '-').Replace('/', '-'), duration - TimeSpan.FromSeconds(1));
        var profile = await CpuProfile.SummarizeAsync(data, [.. replicas]);
        report.Profile(run, profile);
        log.WriteLine($"{run}: profiled ({profile.Samples:N0} samples); busiest: {string.Join(", ", profile.Processes.Take(4).Select(share => $"{share.Name} {share.Percent:0}%"))}");
    }

    private async Task<TimeSpan> RebuildAsync(HttpClient admin, string board)
    {
        var clock = Stopwatch.StartNew();
        var response = await admin.PostAsync($"/api/leaderboards/{board}/index/rebuild", content: null);
        clock.Stop();
        Check(response, HttpStatusCode.Accepted, $"rebuild {board}");
        return clock.Elapsed;
    }

    /// <summary>A wrk run after its warm-up; <paramref name="beside"/>, given the run's length, runs alongside the measured part.</summary>
    private async Task<Wrk.Result> HttpAsync(string name, string script, string path, string? key, int players, int? connections = null, int? threads = null, Func<TimeSpan, Task>? beside = null)
    {
        var settings = new Dictionary<string, string>
        {
            ["BENCH_PATH"] = path,
            ["BENCH_PLAYERS"] = players.ToString(CultureInfo.InvariantCulture),
            ["BENCH_KEY"] = key ?? string.Empty,
            ["BENCH_RUN"] = Guid.NewGuid().ToString("N")[..8],
        };
        var url = new Uri(stack.Api, "/");
        if (options.Warmup > TimeSpan.Zero)
        {
            settings["BENCH_RUN"] = "warm" + settings["BENCH_RUN"];
            await Wrk.RunAsync(url, script, settings, threads ?? options.Threads, connections ?? options.Connections, options.Warmup);
            settings["BENCH_RUN"] = settings["BENCH_RUN"][4..];
        }

        var measured = Wrk.RunAsync(url, script, settings, threads ?? options.Threads, connections ?? options.Connections, options.Duration);
        if (beside is not null)
        {
            await beside(options.Duration);
        }

        var result = await measured;
        log.WriteLine($"{name}: {result.Describe()}");
        report.Detail($"wrk: {name}", result.Describe());
        return result;
    }

    private async Task<PgBench.Result> PgBenchAsync(string name, string script)
    {
        var result = await PgBench.RunAsync(stack.DatabaseConnectionString, script, options.Connections, options.Threads, options.Duration);
        log.WriteLine($"{name}: {result.Describe()}");
        report.Detail($"pgbench: {name}", result.Describe());
        return result;
    }

    private string SqlRankScript() => $"""
        \set n random(1, {options.Players})
        SELECT count(*) FROM scores s,
          (SELECT score, subscore, change_seq FROM scores
            WHERE board_id = '{BigBoard}' AND period = 'all-time' AND player_id = 'player-' || lpad(:n::text, 9, '0')) me
          WHERE s.board_id = '{BigBoard}' AND s.period = 'all-time'
            AND ((s.score, s.subscore) > (me.score, me.subscore)
              OR ((s.score, s.subscore) = (me.score, me.subscore) AND s.change_seq < me.change_seq));
        """;

    private static string UpsertScript() => $"""
        \set n random(1, 2000000000)
        \set score random(0, 9999999)
        INSERT INTO scores (board_id, period, player_id, score, subscore, submitted_at)
          VALUES ('{PgBenchBoard}', 'all-time', 'pg-' || :client_id || '-' || :n, :score, 0, now())
          ON CONFLICT (board_id, period, player_id) DO UPDATE
            SET score = excluded.score, subscore = excluded.subscore, submitted_at = excluded.submitted_at, change_seq = nextval('score_changes')
            WHERE (excluded.score, excluded.subscore) > (scores.score, scores.subscore);
        """;

    private void Phase(string name)
    {
        var load = Machine.LoadAverage();
        report.LoadAverage(name, load);
        log.WriteLine($"[{DateTime.Now:HH:mm:ss}] {name} (load average {load:0.00})");
    }

    private static void Check(HttpResponseMessage response, HttpStatusCode expected, string what)
    {
        if (response.StatusCode != expected)
        {
            throw new InvalidOperationException($"{what}: {(int)response.StatusCode} {response.Content.ReadAsStringAsync().Result}");
        }
    }
}
