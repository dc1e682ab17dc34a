using System.Globalization;
using System.Text.Json;
using Leaderboard.Stats.Sketches;
using Npgsql;
using NpgsqlTypes;

namespace Leaderboard.Stats.Feed;

/// <summary>
/// Applies a board's logged score changes and submission counts to its per-period stats, exactly
/// once: the log rows read, the stats written and the checkpoint advanced are one transaction, under
/// the row lock of the board's checkpoint. A worker that stops mid-way rolls back and the next one
/// reads the same rows again; a second replica that finds the lock taken skips the board for now.
/// <para>The logs are followed by transaction id, below the oldest transaction still running
/// (<c>pg_snapshot_xmin</c>): every row below it is committed or gone for good, while a sequence
/// position may still be filled in later by a transaction that commits late. Transaction ids are
/// handed out at a transaction's first write, not at its commit, so two transactions on one record
/// can be applied in the other order than they committed; <see cref="PeriodTally"/> is built to end
/// exact either way.</para>
/// </summary>
public sealed class ChangeApplier(NpgsqlDataSource database)
{
    /// <summary>Changes applied per transaction at most, so one busy board never holds its lock long.</summary>
    public int BatchSize { get; init; } = 5_000;

    /// <summary>
    /// How long applied log rows are kept before the applier deletes them; by default none is kept,
    /// so the logs hold only what is still to apply and the lag query stays small.
    /// </summary>
    public TimeSpan Retention { get; init; } = TimeSpan.Zero;

    /// <summary>How many climbers a period's stats list.</summary>
    public const int ClimbersListed = 5;

    /// <summary>Applies the board's next batch; the number of changes applied, 0 when none are due or another replica holds the board.</summary>
    public async Task<int> ApplyNextAsync(string boardId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(boardId);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // The first worker to see the board starts its checkpoint below every transaction id.
        await ExecuteAsync(connection, transaction,
            "INSERT INTO stats_checkpoints (board_id, watermark) SELECT board_id, '0'::xid8 FROM boards WHERE board_id = $1 ON CONFLICT DO NOTHING",
            cancellationToken, boardId);

        // Every transaction below the xmin of this statement's snapshot has finished: its rows are final.
        ulong watermark, horizon;
        bool higherIsBetter;
        await using (var claim = new NpgsqlCommand(
            """
            SELECT c.watermark::text, pg_snapshot_xmin(pg_current_snapshot())::text, b.sort_order <> 'ascending'
            FROM stats_checkpoints c JOIN boards b USING (board_id) WHERE c.board_id = $1 FOR UPDATE OF c SKIP LOCKED
            """,
            connection, transaction))
        {
            claim.Parameters.AddWithValue(boardId);
            await using var reader = await claim.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                return 0;
            }

            watermark = Xid(reader.GetString(0));
            horizon = Xid(reader.GetString(1));
            higherIsBetter = reader.GetBoolean(2);
        }

        var upper = await CutAsync(connection, transaction, boardId, watermark, horizon, cancellationToken);
        var (changes, counts) = await ReadAsync(connection, transaction, boardId, watermark, upper, cancellationToken);

        foreach (var period in changes.Select(change => change.Period).Concat(counts.Select(count => count.Period)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var tally = await LoadAsync(connection, transaction, boardId, period, higherIsBetter, cancellationToken);
            foreach (var change in changes.Where(change => change.Period == period))
            {
                tally.Apply(change);
            }

            foreach (var count in counts.Where(count => count.Period == period))
            {
                tally.Count(count);
            }

            await SettleAsync(connection, transaction, boardId, period, tally, cancellationToken);
            await SaveAsync(connection, transaction, boardId, period, tally, cancellationToken);
        }

        // Applied rows past the retention go; the checkpoint moves past what this batch read.
        await using (var finish = new NpgsqlBatch(connection, transaction))
        {
            foreach (var log in new[] { "score_changes_log", "score_submissions_log" })
            {
                finish.BatchCommands.Add(Command(
                    $"DELETE FROM {log} WHERE board_id = $1 AND txid < $2::text::xid8 AND logged_at < clock_timestamp() - $3",
                    boardId, Text(upper), Retention));
            }

            finish.BatchCommands.Add(Command(
                "UPDATE stats_checkpoints SET watermark = $2::text::xid8, applied = applied + $3, updated_at = now() WHERE board_id = $1",
                boardId, Text(upper), (long)changes.Count));
            await finish.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return changes.Count + counts.Count;
    }

    /// <summary>
    /// Where this batch ends: at a whole transaction, below the transaction of the change after
    /// BatchSize, or just past the first transaction when that one alone is larger than a batch.
    /// </summary>
    private async Task<ulong> CutAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string boardId, ulong watermark, ulong horizon, CancellationToken cancellationToken)
    {
        await using var cut = new NpgsqlCommand(
            """
            SELECT (SELECT min(txid) FROM score_changes_log WHERE board_id = $1 AND txid >= $2::text::xid8 AND txid < $3::text::xid8)::text,
                   (SELECT txid FROM score_changes_log WHERE board_id = $1 AND txid >= $2::text::xid8 AND txid < $3::text::xid8
                    ORDER BY txid, position OFFSET $4 LIMIT 1)::text
            """,
            connection, transaction);
        cut.Parameters.AddWithValue(boardId);
        cut.Parameters.AddWithValue(Text(watermark));
        cut.Parameters.AddWithValue(Text(horizon));
        cut.Parameters.AddWithValue(BatchSize);
        await using var reader = await cut.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        if (reader.IsDBNull(1))
        {
            return horizon;
        }

        var first = Xid(reader.GetString(0));
        var cutoff = Xid(reader.GetString(1));
        return cutoff == first ? cutoff + 1 : cutoff;
    }

    private static async Task<(List<ScoreChange> Changes, List<SubmissionCount> Counts)> ReadAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string boardId, ulong watermark, ulong upper, CancellationToken cancellationToken)
    {
        var changes = new List<ScoreChange>();
        var counts = new List<SubmissionCount>();
        await using var read = new NpgsqlBatch(connection, transaction);
        read.BatchCommands.Add(Command(
            """
            SELECT period, player_id, old_score, old_subscore, new_score, new_subscore, changed_at FROM score_changes_log
            WHERE board_id = $1 AND txid >= $2::text::xid8 AND txid < $3::text::xid8
            ORDER BY txid, position
            """,
            boardId, Text(watermark), Text(upper)));
        read.BatchCommands.Add(Command(
            """
            SELECT period, minute, submissions FROM score_submissions_log
            WHERE board_id = $1 AND txid >= $2::text::xid8 AND txid < $3::text::xid8
            ORDER BY txid, position
            """,
            boardId, Text(watermark), Text(upper)));
        await using var reader = await read.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            changes.Add(new ScoreChange(
                reader.GetString(0),
                reader.GetString(1),
                Nullable(reader, 2),
                Nullable(reader, 3),
                Nullable(reader, 4),
                Nullable(reader, 5),
                reader.GetFieldValue<DateTimeOffset>(6)));
        }

        await reader.NextResultAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            counts.Add(new SubmissionCount(reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetInt32(2)));
        }

        return (changes, counts);
    }

    private static async Task<PeriodTally> LoadAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string boardId, string period, bool higherIsBetter, CancellationToken cancellationToken)
    {
        await using var load = new NpgsqlCommand(
            """
            SELECT entries, changes, score_sum, sketch::text, histogram::text, submissions, minutes::text,
                   min_score, max_score, leader_player, leader_score, leader_subscore, new_leaders::text, last_change_at
            FROM stats_periods WHERE board_id = $1 AND period = $2
            """,
            connection, transaction);
        load.Parameters.AddWithValue(boardId);
        load.Parameters.AddWithValue(period);
        await using var reader = await load.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return new PeriodTally(higherIsBetter);
        }

        string? Json(int column) => reader.IsDBNull(column) ? null : reader.GetString(column);
        return new PeriodTally(higherIsBetter)
        {
            Entries = reader.GetInt64(0),
            Changes = reader.GetInt64(1),
            ScoreSum = reader.GetDecimal(2),
            Sketch = Json(3) is { } sketch ? QuantileSketch.FromJson(sketch) : new QuantileSketch(),
            Histogram = Json(4) is { } histogram ? ScoreHistogram.FromJson(histogram) : new ScoreHistogram(),
            Submissions = reader.GetInt64(5),
            Minutes = Json(6) is { } minutes ? JsonSerializer.Deserialize<SortedDictionary<DateTimeOffset, long>>(minutes)! : [],
            MinScore = Nullable(reader, 7),
            MaxScore = Nullable(reader, 8),
            Leader = Json(9) is { } player ? new Leader(player, reader.GetInt64(10), reader.GetInt64(11)) : null,
            NewLeaders = Json(12) is { } leaders ? JsonSerializer.Deserialize<List<NewLeader>>(leaders, JsonSerializerOptions.Web)! : [],
            LastChangeAt = reader.IsDBNull(13) ? null : reader.GetFieldValue<DateTimeOffset>(13),
        };
    }

    /// <summary>Reads from the records what the changes could not settle (min and max, the leader), and stores the climbs.</summary>
    private static async Task SettleAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string boardId, string period, PeriodTally tally, CancellationToken cancellationToken)
    {
        if (tally.ExtremesTouched)
        {
            await using var extremes = new NpgsqlCommand("SELECT min(score), max(score) FROM scores WHERE board_id = $1 AND period = $2", connection, transaction);
            extremes.Parameters.AddWithValue(boardId);
            extremes.Parameters.AddWithValue(period);
            await using var reader = await extremes.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            (tally.MinScore, tally.MaxScore) = (Nullable(reader, 0), Nullable(reader, 1));
        }

        if (tally.LeaderUnknown)
        {
            // Rank 1 as the index ranks it: the best pair, then the earlier change.
            var direction = tally.HigherIsBetter ? "DESC" : "ASC";
            await using var leader = new NpgsqlCommand(
                $"SELECT player_id, score, subscore FROM scores WHERE board_id = $1 AND period = $2 ORDER BY score {direction}, subscore {direction}, change_seq LIMIT 1",
                connection, transaction);
            leader.Parameters.AddWithValue(boardId);
            leader.Parameters.AddWithValue(period);
            Leader? found;
            await using (var reader = await leader.ExecuteReaderAsync(cancellationToken))
            {
                found = await reader.ReadAsync(cancellationToken) ? new Leader(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2)) : null;
            }

            tally.ResolveLeader(found, tally.LastChangeAt ?? DateTimeOffset.UtcNow);
        }

        await using var climbs = new NpgsqlBatch(connection, transaction);
        if (tally.Climbs.Count > 0)
        {
            climbs.BatchCommands.Add(Command(
                "INSERT INTO stats_climbs (board_id, period, player_id, positions, climbed_at) SELECT $1, $2, t.p, t.n, t.at FROM unnest($3::text[], $4::bigint[], $5::timestamptz[]) AS t(p, n, at)",
                boardId, period,
                tally.Climbs.Select(climb => climb.PlayerId).ToArray(),
                tally.Climbs.Select(climb => climb.Positions).ToArray(),
                tally.Climbs.Select(climb => climb.At).ToArray()));
        }

        // The climbers' hour is the hour up to the period's latest change, on the clock that stamped the changes.
        if (tally.LastChangeAt is { } latest)
        {
            climbs.BatchCommands.Add(Command("DELETE FROM stats_climbs WHERE board_id = $1 AND period = $2 AND climbed_at <= $3", boardId, period, latest - PeriodTally.Window));
        }

        if (climbs.BatchCommands.Count > 0)
        {
            await climbs.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static async Task SaveAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string boardId, string period, PeriodTally tally, CancellationToken cancellationToken)
    {
        await using var save = new NpgsqlCommand(
            $"""
            INSERT INTO stats_periods AS s (board_id, period, entries, changes, score_sum, min_score, max_score, p50, p90, p99, sketch, histogram,
                                            submissions, minutes, leader_player, leader_score, leader_subscore, new_leaders, climbers, last_change_at, updated_at)
            SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,
                   (SELECT coalesce(jsonb_agg(jsonb_build_object('player', player_id, 'positions', gained) ORDER BY gained DESC, player_id), '[]')
                    FROM (SELECT player_id, sum(positions) AS gained FROM stats_climbs
                          WHERE board_id = $1 AND period = $2 AND climbed_at > $20 - $19
                          GROUP BY player_id ORDER BY gained DESC, player_id LIMIT {ClimbersListed}) c),
                   $20, now()
            ON CONFLICT (board_id, period) DO UPDATE SET
                entries = EXCLUDED.entries, changes = EXCLUDED.changes, score_sum = EXCLUDED.score_sum,
                min_score = EXCLUDED.min_score, max_score = EXCLUDED.max_score,
                p50 = EXCLUDED.p50, p90 = EXCLUDED.p90, p99 = EXCLUDED.p99, sketch = EXCLUDED.sketch, histogram = EXCLUDED.histogram,
                submissions = EXCLUDED.submissions, minutes = EXCLUDED.minutes,
                leader_player = EXCLUDED.leader_player, leader_score = EXCLUDED.leader_score, leader_subscore = EXCLUDED.leader_subscore,
                new_leaders = EXCLUDED.new_leaders, climbers = EXCLUDED.climbers,
                last_change_at = EXCLUDED.last_change_at, updated_at = now()
            """,
            connection, transaction);
        var parameters = save.Parameters;
        parameters.AddWithValue(boardId);
        parameters.AddWithValue(period);
        parameters.AddWithValue(tally.Entries);
        parameters.AddWithValue(tally.Changes);
        parameters.AddWithValue(tally.ScoreSum);
        parameters.AddWithValue(NpgsqlDbType.Bigint, (object?)tally.MinScore ?? DBNull.Value);
        parameters.AddWithValue(NpgsqlDbType.Bigint, (object?)tally.MaxScore ?? DBNull.Value);
        parameters.AddWithValue(NpgsqlDbType.Double, (object?)tally.Sketch.Quantile(0.5) ?? DBNull.Value);
        parameters.AddWithValue(NpgsqlDbType.Double, (object?)tally.Sketch.Quantile(0.9) ?? DBNull.Value);
        parameters.AddWithValue(NpgsqlDbType.Double, (object?)tally.Sketch.Quantile(0.99) ?? DBNull.Value);
        parameters.AddWithValue(NpgsqlDbType.Jsonb, tally.Sketch.ToJson());
        parameters.AddWithValue(NpgsqlDbType.Jsonb, tally.Histogram.ToJson());
        parameters.AddWithValue(tally.Submissions);
        parameters.AddWithValue(NpgsqlDbType.Jsonb, JsonSerializer.Serialize(tally.Minutes));
        parameters.AddWithValue(NpgsqlDbType.Text, (object?)tally.Leader?.PlayerId ?? DBNull.Value);
        parameters.AddWithValue(NpgsqlDbType.Bigint, (object?)tally.Leader?.Score ?? DBNull.Value);
        parameters.AddWithValue(NpgsqlDbType.Bigint, (object?)tally.Leader?.Subscore ?? DBNull.Value);
        parameters.AddWithValue(NpgsqlDbType.Jsonb, JsonSerializer.Serialize(tally.NewLeaders, JsonSerializerOptions.Web));
        parameters.AddWithValue(PeriodTally.Window);
        parameters.AddWithValue(NpgsqlDbType.TimestampTz, (object?)tally.LastChangeAt ?? DBNull.Value);
        await save.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken, params object[] values)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var value in values)
        {
            command.Parameters.AddWithValue(value);
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.AddWithValue(value);
        }

        return command;
    }

    private static long? Nullable(NpgsqlDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetInt64(column);

    // xid8 travels as text: it is an unsigned 64-bit number, which Npgsql has no parameter type for.
    private static string Text(ulong xid) => xid.ToString(CultureInfo.InvariantCulture);

    private static ulong Xid(string text) => ulong.Parse(text, CultureInfo.InvariantCulture);
}
