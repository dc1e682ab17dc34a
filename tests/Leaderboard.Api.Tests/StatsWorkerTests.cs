using System.Diagnostics;
using System.Diagnostics.Metrics;
using Leaderboard.Stats.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Leaderboard.Api.Tests;

/// <summary>The stats worker's loop on real PostgreSQL, fed by the real API: how soon stats move, and the lag it reports.</summary>
public sealed class StatsWorkerTests(DataStoresFixture stores) : IClassFixture<DataStoresFixture>
{
    // The promise, stats moving within 2 s of a submission, is a speed goal: the benchmark
    // measures it under load (bench/results.md). Here: the stats move, and the lag gauge that watches
    // the promise reads 0 once nothing is left to apply.
    private readonly LeaderboardClient _client = new(stores);

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private sealed class Meters : IMeterFactory
    {
        private readonly List<Meter> _meters = [];

        public Meter Create(MeterOptions options)
        {
            var meter = new Meter(options);
            _meters.Add(meter);
            return meter;
        }

        public void Dispose() => _meters.ForEach(meter => meter.Dispose());
    }

    /// <summary>Waits for the board's stats to count <paramref name="entries"/> entries; how long it took.</summary>
    private async Task<TimeSpan> EntriesSeenAfterAsync(string boardId, long entries)
    {
        var watch = Stopwatch.StartNew();
        while ((await _client.GetJsonAsync($"/api/leaderboards/{boardId}/stats")).GetProperty("entries").GetInt64() != entries)
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"the stats never counted {entries} entries");
            await Task.Delay(25, Cancellation);
        }

        return watch.Elapsed;
    }

    [Fact]
    public async Task StatsMoveAfterEachSubmissionAndTheLagOfNothingLeftToApplyIsZero()
    {
        using var meters = new Meters();
        var lag = new StatsLag(meters);
        var database = stores.Api.Services.GetRequiredService<NpgsqlDataSource>();
        using var worker = new StatsWorker(database, lag, NullLogger<StatsWorker>.Instance);
        await worker.StartAsync(Cancellation);
        try
        {
            var boardId = await _client.CreateBoardAsync();
            foreach (var entries in new[] { 1L, 2, 3 })
            {
                await _client.SubmitAsync(boardId, $"player-{entries}", 100 * entries);
                var took = await EntriesSeenAfterAsync(boardId, entries);
                TestContext.Current.TestOutputHelper?.WriteLine($"entry {entries} counted after {took.TotalMilliseconds:F0} ms");
            }

            // Caught up: nothing is left to apply, and the gauge the worker publishes says so.
            double? measured = null;
            using var listener = new MeterListener();
            listener.InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == StatsLag.MeterName && instrument.Name == StatsLag.InstrumentName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            };
            listener.SetMeasurementEventCallback<double>((_, value, _, _) => measured = value);
            listener.Start();
            await Task.Delay(worker.Interval * 3, Cancellation);
            listener.RecordObservableInstruments();

            Assert.Equal(0, measured);
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task TheLagCountsChangesNotAppliedYet()
    {
        using var meters = new Meters();
        var lag = new StatsLag(meters);
        var database = stores.Api.Services.GetRequiredService<NpgsqlDataSource>();
        var boardId = await _client.CreateBoardAsync();
        await _client.SubmitAsync(boardId, "early", 1);

        // No worker ran for this board: its change waits, and the lag grows with its age.
        await Task.Delay(TimeSpan.FromMilliseconds(600), Cancellation);
        await lag.MeasureAsync(database, Cancellation);

        Assert.True(lag.Seconds >= 0.5, $"lag {lag.Seconds} s");
    }
}
