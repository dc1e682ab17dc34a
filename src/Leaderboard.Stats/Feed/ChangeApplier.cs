using System.Globalization;
using Leaderboard.Stats.Sketches;
using Npgsql;
using NpgsqlTypes;

namespace Leaderboard.Stats.Feed;

/// <summary>
/// Applies a board's logged score changes to its per-period stats, exactly once: the changes read,
/// the stats written and the checkpoint advanced are one transaction, under the row lock of the
/// board's checkpoint. A worker that stops mid-way rolls back and the next one reads the same
/// changes again; a second replica that finds the lock taken skips the board for now.
/// <para>The log is followed by transaction id, below the oldest transaction still running
/// (<c>pg_snapshot_xmin</c>): every change below it is committed or gone for good, while a
/// sequence position may still be filled in later by a transaction that commits late.</para>
/// </summary>
public sealed class ChangeApplier(NpgsqlDataSource database)
{
    /// <summary>Changes applied per transaction at most, so one busy board never holds its lock long.</summary>
    public int BatchSize { get; init; } = 5_000;

    /// <summary>Applies the board's next batch; the number of changes applied, 0 when none are due or another replica holds the board.</summary>
    public async Task<int> ApplyNextAsync(string boardId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(boardId);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // The first worker to see the board starts its checkpoint below every transaction id.
        await using (var start = new NpgsqlCommand(
            "INSERT INTO stats_checkpoints (board_id, watermark) SELECT board_id, '0'::xid8 FROM boards WHERE board_id = $1 ON CONFLICT DO NOTHING",
            connection, transaction))
        {
            start.Parameters.AddWithValue(boardId);
            await start.ExecuteNonQueryAsync(cancellationToken);
        }

        // Every transaction below the xmin of this statement's snapshot has finished: its changes are final.
        ulong watermark, horizon;
        await using (var claim = new NpgsqlCommand(
            "SELECT watermark::text, pg_snapshot_xmin(pg_current_snapshot())::text FROM stats_checkpoints WHERE board_id = $1 FOR UPDATE SKIP LOCKED",
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
        }

        // A batch ends at a whole transaction: below the transaction of the change after BatchSize,
        // or just past the first transaction when that one alone is larger than a batch.
        var upper = horizon;
        await using (var cut = new NpgsqlCommand(
            """
            SELECT (SELECT min(txid) FROM score_changes_log WHERE board_id = $1 AND txid >= $2::text::xid8 AND txid < $3::text::xid8)::text,
                   (SELECT txid FROM score_changes_log WHERE board_id = $1 AND txid >= $2::text::xid8 AND txid < $3::text::xid8
                    ORDER BY txid, position OFFSET $4 LIMIT 1)::text
            """,
            connection, transaction))
        {
            cut.Parameters.AddWithValue(boardId);
            cut.Parameters.AddWithValue(Text(watermark));
            cut.Parameters.AddWithValue(Text(horizon));
            cut.Parameters.AddWithValue(BatchSize);
            await using var reader = await cut.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            if (!reader.IsDBNull(1))
            {
                var first = Xid(reader.GetString(0));
                var cutoff = Xid(reader.GetString(1));
                upper = cutoff == first ? cutoff + 1 : cutoff;
            }
        }

        var changes = new List<ScoreChange>();
        await using (var read = new NpgsqlCommand(
            """
            SELECT period, old_score, new_score, changed_at FROM score_changes_log
            WHERE board_id = $1 AND txid >= $2::text::xid8 AND txid < $3::text::xid8
            ORDER BY txid, position
            """,
            connection, transaction))
        {
            read.Parameters.AddWithValue(boardId);
            read.Parameters.AddWithValue(Text(watermark));
            read.Parameters.AddWithValue(Text(upper));
            await using var reader = await read.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                changes.Add(new ScoreChange(
                    reader.GetString(0),
                    reader.IsDBNull(1) ? null : reader.GetInt64(1),
                    reader.IsDBNull(2) ? null : reader.GetInt64(2),
                    reader.GetFieldValue<DateTimeOffset>(3)));
            }
        }

        foreach (var period in changes.GroupBy(c => c.Period, StringComparer.Ordinal))
        {
            var tally = await LoadAsync(connection, transaction, boardId, period.Key, cancellationToken);
            foreach (var change in period)
            {
                tally.Apply(change);
            }

            await SaveAsync(connection, transaction, boardId, period.Key, tally, cancellationToken);
        }

        await using (var advance = new NpgsqlCommand(
            "UPDATE stats_checkpoints SET watermark = $2::text::xid8, applied = applied + $3, updated_at = now() WHERE board_id = $1",
            connection, transaction))
        {
            advance.Parameters.AddWithValue(boardId);
            advance.Parameters.AddWithValue(Text(upper));
            advance.Parameters.AddWithValue((long)changes.Count);
            await advance.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return changes.Count;
    }

    // xid8 travels as text: it is an unsigned 64-bit number, which Npgsql has no parameter type for.
    private static string Text(ulong xid) => xid.ToString(CultureInfo.InvariantCulture);

    private static ulong Xid(string text) => ulong.Parse(text, CultureInfo.InvariantCulture);

    private static async Task<PeriodTally> LoadAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string boardId, string period, CancellationToken cancellationToken)
    {
        await using var load = new NpgsqlCommand(
            "SELECT entries, changes, score_sum, sketch::text FROM stats_periods WHERE board_id = $1 AND period = $2",
            connection, transaction);
        load.Parameters.AddWithValue(boardId);
        load.Parameters.AddWithValue(period);
        await using var reader = await load.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new PeriodTally(reader.GetInt64(0), reader.GetInt64(1), reader.GetDecimal(2), reader.IsDBNull(3) ? new QuantileSketch() : QuantileSketch.FromJson(reader.GetString(3)))
            : PeriodTally.Empty();
    }

    private static async Task SaveAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string boardId, string period, PeriodTally tally, CancellationToken cancellationToken)
    {
        // Min and max are exact: read from the records (a sketch bucket is 1% wide), at this batch's commit.
        await using var save = new NpgsqlCommand(
            """
            INSERT INTO stats_periods AS s (board_id, period, entries, changes, score_sum, min_score, max_score, p50, p90, p99, sketch, last_change_at, updated_at)
            SELECT $1, $2, $3, $4, $5, min(score), max(score), $6, $7, $8, $9, $10, now() FROM scores WHERE board_id = $1 AND period = $2
            ON CONFLICT (board_id, period) DO UPDATE SET
                entries = EXCLUDED.entries, changes = EXCLUDED.changes, score_sum = EXCLUDED.score_sum,
                min_score = EXCLUDED.min_score, max_score = EXCLUDED.max_score,
                p50 = EXCLUDED.p50, p90 = EXCLUDED.p90, p99 = EXCLUDED.p99, sketch = EXCLUDED.sketch,
                last_change_at = EXCLUDED.last_change_at, updated_at = now()
            """,
            connection, transaction);
        save.Parameters.AddWithValue(boardId);
        save.Parameters.AddWithValue(period);
        save.Parameters.AddWithValue(tally.Entries);
        save.Parameters.AddWithValue(tally.Changes);
        save.Parameters.AddWithValue(tally.ScoreSum);
        save.Parameters.AddWithValue(NpgsqlDbType.Double, (object?)tally.Sketch.Quantile(0.5) ?? DBNull.Value);
        save.Parameters.AddWithValue(NpgsqlDbType.Double, (object?)tally.Sketch.Quantile(0.9) ?? DBNull.Value);
        save.Parameters.AddWithValue(NpgsqlDbType.Double, (object?)tally.Sketch.Quantile(0.99) ?? DBNull.Value);
        save.Parameters.AddWithValue(NpgsqlDbType.Jsonb, tally.Sketch.ToJson());
        save.Parameters.AddWithValue(NpgsqlDbType.TimestampTz, (object?)tally.LastChangeAt ?? DBNull.Value);
        await save.ExecuteNonQueryAsync(cancellationToken);
    }
}
