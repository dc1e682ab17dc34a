using Leaderboard.Stats.Feed;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Leaderboard.Api.Tests;

/// <summary>
/// The stats worker's change feed on real PostgreSQL, fed by the real API: the per-period stats
/// against exact computations over the records (made here, by sorting), with two appliers racing,
/// and with an applier killed inside its transaction.
/// </summary>
public sealed class StatsFeedTests(DataStoresFixture stores) : IClassFixture<DataStoresFixture>
{
    private static readonly TimeSpan CatchUpTimeout = TimeSpan.FromSeconds(30);

    private readonly LeaderboardClient _client = new(stores);

    private NpgsqlDataSource Database => stores.Api.Services.GetRequiredService<NpgsqlDataSource>();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    /// <summary>Seeded submissions: many players, most submitting more than once, better or not.</summary>
    private async Task SubmitAsync(string boardId, int seed, int count, int parallel = 1)
    {
        var random = new Random(seed);
        var submissions = Enumerable.Range(0, count).Select(_ => (Player: $"p{random.Next(150)}", Score: random.NextInt64(-1_000, 1_000_000))).ToList();
        await Parallel.ForEachAsync(submissions, new ParallelOptions { MaxDegreeOfParallelism = parallel, CancellationToken = Cancellation },
            async (submission, _) => await _client.SubmitAsync(boardId, submission.Player, submission.Score));
    }

    private async Task<T> ScalarAsync<T>(string sql, params object[] values)
    {
        await using var command = Database.CreateCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.AddWithValue(value);
        }

        return (T)(await command.ExecuteScalarAsync(Cancellation))!;
    }

    private Task<long> LoggedAsync(string boardId) => ScalarAsync<long>("SELECT count(*) FROM score_changes_log WHERE board_id = $1", boardId);

    private Task<long> AppliedAsync(string boardId) => ScalarAsync<long>("SELECT coalesce((SELECT applied FROM stats_checkpoints WHERE board_id = $1), 0)", boardId);

    /// <summary>Applies until every logged change of the board is applied.</summary>
    private async Task CatchUpAsync(string boardId, ChangeApplier applier)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Cancellation);
        timeout.CancelAfter(CatchUpTimeout);
        while (await AppliedAsync(boardId) < await LoggedAsync(boardId))
        {
            if (await applier.ApplyNextAsync(boardId, timeout.Token) == 0)
            {
                await Task.Delay(20, timeout.Token);
            }
        }
    }

    /// <summary>The stored stats of the board's only period, beside the exact ones computed here from the records.</summary>
    private async Task AssertStatsAreExactAsync(string boardId)
    {
        var scores = new List<long>();
        await using (var command = Database.CreateCommand("SELECT score FROM scores WHERE board_id = $1"))
        {
            command.Parameters.AddWithValue(boardId);
            await using var reader = await command.ExecuteReaderAsync(Cancellation);
            while (await reader.ReadAsync(Cancellation))
            {
                scores.Add(reader.GetInt64(0));
            }
        }

        scores.Sort();
        long Nearest(double q) => scores[Math.Max(1, (int)Math.Ceiling(q * scores.Count)) - 1];

        await using var stats = Database.CreateCommand("SELECT entries, changes, score_sum, min_score, max_score, p50, p90, p99 FROM stats_periods WHERE board_id = $1");
        stats.Parameters.AddWithValue(boardId);
        await using var row = await stats.ExecuteReaderAsync(Cancellation);
        Assert.True(await row.ReadAsync(Cancellation));
        Assert.Equal(scores.Count, row.GetInt64(0));
        Assert.Equal(await ScalarAsync<long>("SELECT count(*) FROM score_changes_log WHERE board_id = $1 AND new_score IS NOT NULL", boardId), row.GetInt64(1));
        Assert.Equal(scores.Sum(s => (decimal)s), row.GetDecimal(2));
        Assert.Equal(scores[0], row.GetInt64(3));
        Assert.Equal(scores[^1], row.GetInt64(4));
        foreach (var (q, column) in new[] { (0.5, 5), (0.9, 6), (0.99, 7) })
        {
            var exact = Nearest(q);
            Assert.True(Math.Abs(row.GetDouble(column) - exact) <= 0.01 * Math.Abs(exact) + 1e-9, $"p{q * 100}: stored {row.GetDouble(column)}, exact {exact}");
        }

        Assert.False(await row.ReadAsync(Cancellation));
    }

    [Fact]
    public async Task StatsOfAPeriodAreTheExactOnesOfItsRecords()
    {
        var boardId = await _client.CreateBoardAsync();
        await SubmitAsync(boardId, seed: 1, count: 400);

        await CatchUpAsync(boardId, new ChangeApplier(Database));

        Assert.True(await LoggedAsync(boardId) > 150, "most players improve at least once");
        await AssertStatsAreExactAsync(boardId);
    }

    [Fact]
    public async Task TwoAppliersRacingWhileScoresArriveApplyEveryChangeOnce()
    {
        var boardId = await _client.CreateBoardAsync();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Cancellation);
        var applied = new long[2];

        // Two replicas, each a fresh applier per batch (a restart between any two batches), small batches.
        var replicas = Enumerable.Range(0, 2).Select(replica => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var count = await new ChangeApplier(Database) { BatchSize = 7 }.ApplyNextAsync(boardId, Cancellation);
                applied[replica] += count;
                if (count == 0)
                {
                    await Task.Delay(5, Cancellation);
                }
            }
        })).ToList();

        await SubmitAsync(boardId, seed: 2, count: 600, parallel: 4);
        await CatchUpAsync(boardId, new ChangeApplier(Database));
        await stop.CancelAsync();
        await Task.WhenAll(replicas);

        Assert.Equal(await LoggedAsync(boardId), await AppliedAsync(boardId));
        Assert.True(applied[0] > 0 && applied[1] > 0, $"both replicas applied changes: {applied[0]} and {applied[1]}");
        await AssertStatsAreExactAsync(boardId);
    }

    [Fact]
    public async Task AnApplierKilledInsideItsTransactionLeavesNoTraceAndTheNextOneResumes()
    {
        var boardId = await _client.CreateBoardAsync();
        await SubmitAsync(boardId, seed: 3, count: 100);
        await CatchUpAsync(boardId, new ChangeApplier(Database));
        await SubmitAsync(boardId, seed: 4, count: 100);
        var appliedBefore = await AppliedAsync(boardId);
        var entriesBefore = await ScalarAsync<long>("SELECT entries FROM stats_periods WHERE board_id = $1", boardId);

        // Hold the period's stats row, so the applier stops there: after its checkpoint lock and its reads.
        await using var blocker = await Database.OpenConnectionAsync(Cancellation);
        await using var hold = await blocker.BeginTransactionAsync(Cancellation);
        await using (var lockRow = new NpgsqlCommand("SELECT 1 FROM stats_periods WHERE board_id = $1 FOR UPDATE", blocker, hold))
        {
            lockRow.Parameters.AddWithValue(boardId);
            await lockRow.ExecuteNonQueryAsync(Cancellation);
        }

        var killed = new ChangeApplier(Database).ApplyNextAsync(boardId, Cancellation);
        var backend = 0;
        while (backend == 0)
        {
            await Task.Delay(20, Cancellation);
            backend = await ScalarAsync<int>(
                "SELECT coalesce(max(pid), 0) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'INSERT INTO stats_periods%'");
        }

        Assert.True(await ScalarAsync<bool>("SELECT pg_terminate_backend($1)", backend));
        await Assert.ThrowsAnyAsync<Exception>(() => killed);
        await hold.RollbackAsync(Cancellation);

        Assert.Equal(appliedBefore, await AppliedAsync(boardId));
        Assert.Equal(entriesBefore, await ScalarAsync<long>("SELECT entries FROM stats_periods WHERE board_id = $1", boardId));
        await CatchUpAsync(boardId, new ChangeApplier(Database));
        await AssertStatsAreExactAsync(boardId);
    }
}
