using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace Leaderboard.Bench.Measure;

/// <summary>
/// How soon a board's stats move after a submission, while other load runs: every half second it
/// submits a new player to its own board and times until <c>GET /stats</c> counts them, through the
/// same proxy and API as the load. The stats worker's rounds cover every board, the loaded one included.
/// </summary>
internal sealed class StatsProbe(HttpClient server, string board)
{
    private static readonly TimeSpan GiveUp = TimeSpan.FromSeconds(30);

    public async Task<List<TimeSpan>> RunAsync(CancellationToken stop)
    {
        var delays = new List<TimeSpan>();
        for (var entries = 1; !stop.IsCancellationRequested; entries++)
        {
            var submitted = await server.PutAsJsonAsync($"/api/leaderboards/{board}/scores/probe-{entries}", new { score = entries }, CancellationToken.None);
            submitted.EnsureSuccessStatusCode();
            var clock = Stopwatch.StartNew();
            while (await EntriesAsync() < entries && clock.Elapsed < GiveUp)
            {
                await Task.Delay(20, CancellationToken.None);
            }

            delays.Add(clock.Elapsed);
            await Task.Delay(500, stop).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        return delays;
    }

    private async Task<long> EntriesAsync()
    {
        var stats = await server.GetFromJsonAsync<JsonElement>($"/api/leaderboards/{board}/stats");
        return stats.GetProperty("entries").GetInt64();
    }
}
