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

    // Applied log rows kept, so a test can count them after applying.
    private static readonly TimeSpan KeepLogs = TimeSpan.FromHours(1);

    private readonly LeaderboardClient _client = new(stores);

    private NpgsqlDataSource Database => stores.Api.Services.GetRequiredService<NpgsqlDataSource>();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    /// <summary>What the API acknowledged: every submission, and those that changed a record, in the order answered.</summary>
    private sealed record Submitted(int Accepted, int Changed, List<(string Player, long Score)> Changes);

    /// <summary>Seeded submissions: many players, most submitting more than once, better or not.</summary>
    private async Task<Submitted> SubmitAsync(string boardId, int seed, int count, int parallel = 1)
    {
        var random = new Random(seed);
        var submissions = Enumerable.Range(0, count).Select(_ => (Player: $"p{random.Next(150)}", Score: random.NextInt64(-1_000, 1_000_000))).ToList();
        var changes = new List<(string, long)>();
        await Parallel.ForEachAsync(submissions, new ParallelOptions { MaxDegreeOfParallelism = parallel, CancellationToken = Cancellation },
            async (submission, _) =>
            {
                var answer = await _client.SubmitAsync(boardId, submission.Player, submission.Score);
                if (answer.GetProperty("changed").GetBoolean())
                {
                    lock (changes)
                    {
                        changes.Add((submission.Player, answer.GetProperty("score").GetInt64()));
                    }
                }
            });
        return new Submitted(count, changes.Count, changes);
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

    private Task<long> LoggedAsync(string boardId) =>
        ScalarAsync<long>("SELECT (SELECT count(*) FROM score_changes_log WHERE board_id = $1) + (SELECT count(*) FROM score_submissions_log WHERE board_id = $1)", boardId);

    private Task<long> AppliedAsync(string boardId) => ScalarAsync<long>("SELECT coalesce((SELECT applied FROM stats_checkpoints WHERE board_id = $1), 0)", boardId);

    /// <summary>Whether some logged row of the board is above its checkpoint (every acknowledged write has committed).</summary>
    private Task<bool> PendingAsync(string boardId) => ScalarAsync<bool>(
        """
        SELECT EXISTS (SELECT 1 FROM score_changes_log WHERE board_id = $1 AND txid >= coalesce((SELECT watermark FROM stats_checkpoints WHERE board_id = $1), '0'::xid8))
            OR EXISTS (SELECT 1 FROM score_submissions_log WHERE board_id = $1 AND txid >= coalesce((SELECT watermark FROM stats_checkpoints WHERE board_id = $1), '0'::xid8))
        """,
        boardId);

    /// <summary>Applies until every logged row of the board is applied.</summary>
    private async Task CatchUpAsync(string boardId, ChangeApplier applier)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Cancellation);
        timeout.CancelAfter(CatchUpTimeout);
        while (await PendingAsync(boardId))
        {
            if (await applier.ApplyNextAsync(boardId, timeout.Token) == 0)
            {
                await Task.Delay(20, timeout.Token);
            }
        }
    }

    /// <summary>
    /// The stored stats of the board's only period, beside the exact ones computed here: from the
    /// records (sorting, counting within each bin's bounds) and from what the API acknowledged.
    /// </summary>
    private async Task AssertStatsAreExactAsync(string boardId, Submitted submitted)
    {
        var records = new List<(string Player, long Score, long Seq)>();
        await using (var command = Database.CreateCommand("SELECT player_id, score, change_seq FROM scores WHERE board_id = $1"))
        {
            command.Parameters.AddWithValue(boardId);
            await using var reader = await command.ExecuteReaderAsync(Cancellation);
            while (await reader.ReadAsync(Cancellation))
            {
                records.Add((reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2)));
            }
        }

        var scores = records.Select(record => record.Score).Order().ToList();
        long Nearest(double q) => scores[Math.Max(1, (int)Math.Ceiling(q * scores.Count)) - 1];
        var leader = records.OrderByDescending(record => record.Score).ThenBy(record => record.Seq).First();

        var stats = await _client.GetJsonAsync($"/api/leaderboards/{boardId}/stats");
        Assert.Equal(scores.Count, stats.GetProperty("entries").GetInt64());
        Assert.Equal(submitted.Changed, stats.GetProperty("changes").GetInt64());
        Assert.Equal(submitted.Accepted, stats.GetProperty("submissions").GetInt64());
        Assert.Equal((double)submitted.Accepted / 60, stats.GetProperty("submissionsPerMinute").GetDouble(), 9);
        Assert.Equal((double)scores.Sum(s => (decimal)s) / scores.Count, stats.GetProperty("meanScore").GetDouble(), 6);
        Assert.Equal(scores[0], stats.GetProperty("minScore").GetInt64());
        Assert.Equal(scores[^1], stats.GetProperty("maxScore").GetInt64());
        foreach (var q in new[] { 0.5, 0.9, 0.99 })
        {
            var exact = Nearest(q);
            var stored = stats.GetProperty($"p{q * 100}").GetDouble();
            Assert.True(Math.Abs(stored - exact) <= 0.01 * Math.Abs(exact) + 1e-9, $"p{q * 100}: stored {stored}, exact {exact}");
        }

        var bins = stats.GetProperty("histogram").EnumerateArray().Select(bin => (From: bin.GetProperty("from").GetInt64(), To: bin.GetProperty("to").GetInt64(), Count: bin.GetProperty("count").GetInt64())).ToList();
        Assert.All(bins, bin => Assert.Equal(scores.Count(score => score >= bin.From && score <= bin.To), bin.Count));
        Assert.Equal(scores.Count, bins.Sum(bin => bin.Count));

        Assert.Equal(leader.Player, stats.GetProperty("leader").GetProperty("player").GetString());
        Assert.Equal(leader.Score, stats.GetProperty("leader").GetProperty("score").GetInt64());
    }

    [Fact]
    public async Task StatsOfAPeriodAreTheExactOnesOfItsRecords()
    {
        var boardId = await _client.CreateBoardAsync();
        var submitted = await SubmitAsync(boardId, seed: 1, count: 400);

        await CatchUpAsync(boardId, new ChangeApplier(Database));

        Assert.True(submitted.Changed > 150, "most players improve at least once");
        await AssertStatsAreExactAsync(boardId, submitted);

        // Submitted one at a time, so the order of taking rank 1 is the order of the answers: the
        // last ten leaderships, replayed here from the acknowledged changes.
        var expected = new List<(string Player, long Score)>();
        foreach (var change in submitted.Changes)
        {
            if (expected.Count == 0 || change.Score > expected[^1].Score)
            {
                if (expected.Count == 0 || expected[^1].Player != change.Player)
                {
                    expected.Add(change);
                }
                else
                {
                    expected[^1] = change;
                }
            }
        }

        var stats = await _client.GetJsonAsync($"/api/leaderboards/{boardId}/stats");
        Assert.Equal(
            expected.TakeLast(10).Select(leader => leader.Player),
            stats.GetProperty("newLeaders").EnumerateArray().Select(leader => leader.GetProperty("player").GetString()));
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
                var count = await new ChangeApplier(Database) { BatchSize = 7, Retention = KeepLogs }.ApplyNextAsync(boardId, Cancellation);
                applied[replica] += count;
                if (count == 0)
                {
                    await Task.Delay(5, Cancellation);
                }
            }
        })).ToList();

        var submitted = await SubmitAsync(boardId, seed: 2, count: 600, parallel: 4);
        await CatchUpAsync(boardId, new ChangeApplier(Database) { Retention = KeepLogs });
        await stop.CancelAsync();
        await Task.WhenAll(replicas);

        Assert.Equal(submitted.Changed, await AppliedAsync(boardId));
        Assert.True(applied[0] > 0 && applied[1] > 0, $"both replicas applied changes: {applied[0]} and {applied[1]}");
        await AssertStatsAreExactAsync(boardId, submitted);
    }

    [Fact]
    public async Task AnApplierKilledInsideItsTransactionLeavesNoTraceAndTheNextOneResumes()
    {
        var boardId = await _client.CreateBoardAsync();
        var first = await SubmitAsync(boardId, seed: 3, count: 100);
        await CatchUpAsync(boardId, new ChangeApplier(Database));
        var second = await SubmitAsync(boardId, seed: 4, count: 100);
        var loggedBefore = await LoggedAsync(boardId);
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
        Assert.Equal(loggedBefore, await LoggedAsync(boardId));
        Assert.Equal(entriesBefore, await ScalarAsync<long>("SELECT entries FROM stats_periods WHERE board_id = $1", boardId));
        await CatchUpAsync(boardId, new ChangeApplier(Database));
        await AssertStatsAreExactAsync(boardId, new Submitted(first.Accepted + second.Accepted, first.Changed + second.Changed, [.. first.Changes, .. second.Changes]));
    }

    [Fact]
    public async Task AppliedRowsAreDeletedPastTheirRetentionAndRowsNotAppliedYetStay()
    {
        var boardId = await _client.CreateBoardAsync();
        var submitted = await SubmitAsync(boardId, seed: 5, count: 50);

        await CatchUpAsync(boardId, new ChangeApplier(Database) { Retention = KeepLogs });
        Assert.True(await LoggedAsync(boardId) > 0, "kept within the retention");

        // Another board's rows are not this board's to delete, applied or not.
        var other = await _client.CreateBoardAsync();
        await _client.SubmitAsync(other, "someone", 1);

        var late = await _client.SubmitAsync(boardId, "late", 2_000_000);
        await CatchUpAsync(boardId, new ChangeApplier(Database));

        Assert.Equal(0, await LoggedAsync(boardId));
        Assert.Equal(2, await LoggedAsync(other));
        Assert.True(late.GetProperty("changed").GetBoolean());
        await AssertStatsAreExactAsync(boardId, new Submitted(submitted.Accepted + 1, submitted.Changed + 1, [.. submitted.Changes, ("late", 2_000_000)]));
    }
}
