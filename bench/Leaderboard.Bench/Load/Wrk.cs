using System.Globalization;
using System.Text.RegularExpressions;

namespace Leaderboard.Bench.Load;

/// <summary>HTTP load from wrk, with a Lua script per kind of request (see Scripts/).</summary>
internal static partial class Wrk
{
    public sealed record Result(double RequestsPerSecond, double P50Ms, double P99Ms, double MeanMs, long Requests, long Non2xx, long SocketErrors)
    {
        public string Describe() =>
            $"{RequestsPerSecond:N0} req/s, p50 {P50Ms:0.##} ms, p99 {P99Ms:0.##} ms" + (Non2xx + SocketErrors > 0 ? $" ({Non2xx:N0} non-2xx, {SocketErrors:N0} socket errors)" : string.Empty);
    }

    /// <summary>Runs <paramref name="script"/> against <paramref name="url"/>; its settings go to the script as BENCH_* variables.</summary>
    public static async Task<Result> RunAsync(Uri url, string script, IDictionary<string, string> settings, int threads, int connections, TimeSpan duration)
    {
        var scriptPath = Path.Combine(AppContext.BaseDirectory, "Scripts", script);
        var result = await Tool.RunAsync(
            "wrk",
            ["-t", threads.ToString(CultureInfo.InvariantCulture), "-c", connections.ToString(CultureInfo.InvariantCulture),
             "-d", $"{(int)duration.TotalSeconds}s", "--timeout", "10s", "--latency", "-s", scriptPath, url.ToString()],
            settings,
            duration + TimeSpan.FromMinutes(1));
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"wrk failed: {result.Error}{result.Output}");
        }

        return Parse(result.Output);
    }

    internal static Result Parse(string output)
    {
        var rate = double.Parse(Rate().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        var requests = long.Parse(RequestCount().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        var non2xx = Non2xx().Match(output) is { Success: true } bad ? long.Parse(bad.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        var errors = SocketErrors().Match(output) is { Success: true } socket
            ? socket.Groups.Values.Skip(1).Sum(group => long.Parse(group.Value, CultureInfo.InvariantCulture))
            : 0;
        return new Result(rate, Percentile(output, "50"), Percentile(output, "99"), Milliseconds(MeanLatency().Match(output).Groups[1].Value), requests, non2xx, errors);
    }

    private static double Percentile(string output, string percent) =>
        Milliseconds(Regex.Match(output, $@"^\s*{percent}(?:\.000)?%\s+(\S+)", RegexOptions.Multiline).Groups[1].Value);

    private static double Milliseconds(string value)
    {
        var match = Duration().Match(value);
        var number = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch
        {
            "us" => number / 1000,
            "ms" => number,
            "s" => number * 1000,
            "m" => number * 60_000,
            _ => throw new FormatException($"Unknown duration '{value}'."),
        };
    }

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex Rate();

    [GeneratedRegex(@"(\d+) requests in")]
    private static partial Regex RequestCount();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")]
    private static partial Regex Non2xx();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")]
    private static partial Regex SocketErrors();

    [GeneratedRegex(@"^\s*Latency\s+(\S+)", RegexOptions.Multiline)]
    private static partial Regex MeanLatency();

    [GeneratedRegex(@"^([\d.]+)(us|ms|s|m)$")]
    private static partial Regex Duration();
}
