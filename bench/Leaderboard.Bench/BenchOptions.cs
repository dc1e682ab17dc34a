using System.Globalization;

namespace Leaderboard.Bench;

/// <summary>What one benchmark run measures, from the command line.</summary>
internal sealed record BenchOptions(
    int Players,
    int SmallPlayers,
    TimeSpan Duration,
    TimeSpan Warmup,
    int Connections,
    int Threads,
    string Output,
    bool Quick)
{
    public const string Usage = """
        dotnet run -c Release --project bench/Leaderboard.Bench -- [options]

          --players N       players on the big board, loaded into PostgreSQL and rebuilt (default 1000000)
          --small N         players on the small board, for rank latency at small N (default 1000)
          --duration S      seconds each load run lasts (default 20)
          --warmup S        seconds of unmeasured load before each run (default 5)
          --connections N   HTTP connections and pgbench clients (default 32)
          --threads N       wrk threads and pgbench jobs (default: the number of cores)
          --output PATH     where the markdown results go (default bench/results.md of this checkout)
          --quick           10 s runs, 2 s warm-up: a smoke run, not a measurement
        """;

    public static BenchOptions Parse(string[] args)
    {
        var players = 1_000_000;
        var small = 1_000;
        var duration = 20;
        var warmup = 5;
        var connections = 32;
        var threads = Environment.ProcessorCount;
        string? output = null;
        var quick = false;
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.\n{Usage}");
            int Number() => int.Parse(Next(), NumberStyles.None, CultureInfo.InvariantCulture);
            switch (args[i])
            {
                case "--players": players = Number(); break;
                case "--small": small = Number(); break;
                case "--duration": duration = Number(); break;
                case "--warmup": warmup = Number(); break;
                case "--connections": connections = Number(); break;
                case "--threads": threads = Number(); break;
                case "--output": output = Next(); break;
                case "--quick": quick = true; break;
                default: throw new ArgumentException($"Unknown option {args[i]}.\n{Usage}");
            }
        }

        if (quick)
        {
            duration = 10;
            warmup = 2;
        }

        return new BenchOptions(
            players,
            small,
            TimeSpan.FromSeconds(duration),
            TimeSpan.FromSeconds(warmup),
            connections,
            threads,
            output ?? Path.Combine(Repository.Root, "bench", "results.md"),
            quick);
    }
}
