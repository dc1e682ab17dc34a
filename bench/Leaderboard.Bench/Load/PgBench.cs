using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;

namespace Leaderboard.Bench.Load;

/// <summary>PostgreSQL's own load generator, run against the stack's database with a custom script.</summary>
internal static partial class PgBench
{
    public sealed record Result(double TransactionsPerSecond, double MeanLatencyMs, long Transactions)
    {
        public string Describe() => $"{TransactionsPerSecond:N1} tps, mean {MeanLatencyMs:0.##} ms";
    }

    /// <summary>Runs <paramref name="script"/> (pgbench syntax) with <paramref name="clients"/> clients for <paramref name="duration"/>.</summary>
    public static async Task<Result> RunAsync(string connectionString, string script, int clients, int jobs, TimeSpan duration, IDictionary<string, string>? variables = null)
    {
        var settings = new NpgsqlConnectionStringBuilder(connectionString);
        var file = Path.Combine(Path.GetTempPath(), $"bench-{Guid.NewGuid():N}.sql");
        await File.WriteAllTextAsync(file, script);
        try
        {
            List<string> arguments =
            [
                "-h", settings.Host!, "-p", settings.Port.ToString(CultureInfo.InvariantCulture), "-U", settings.Username!, "-d", settings.Database!,
                "-c", clients.ToString(CultureInfo.InvariantCulture), "-j", jobs.ToString(CultureInfo.InvariantCulture),
                "-T", ((int)duration.TotalSeconds).ToString(CultureInfo.InvariantCulture), "-n", "-M", "prepared", "-f", file,
            ];
            foreach (var (name, value) in variables ?? new Dictionary<string, string>())
            {
                arguments.AddRange(["-D", $"{name}={value}"]);
            }

            var result = await Tool.RunAsync("pgbench", arguments, new Dictionary<string, string> { ["PGPASSWORD"] = settings.Password! }, duration + TimeSpan.FromMinutes(2));
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException($"pgbench failed: {result.Error}{result.Output}");
            }

            return new Result(
                double.Parse(Tps().Match(result.Output).Groups[1].Value, CultureInfo.InvariantCulture),
                double.Parse(Latency().Match(result.Output).Groups[1].Value, CultureInfo.InvariantCulture),
                long.Parse(Processed().Match(result.Output).Groups[1].Value, CultureInfo.InvariantCulture));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [GeneratedRegex(@"tps = ([\d.]+)")]
    private static partial Regex Tps();

    [GeneratedRegex(@"latency average = ([\d.]+) ms")]
    private static partial Regex Latency();

    [GeneratedRegex(@"number of transactions actually processed: (\d+)")]
    private static partial Regex Processed();
}
