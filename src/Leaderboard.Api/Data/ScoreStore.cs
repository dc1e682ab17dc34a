using System.Text.Json;
using Leaderboard.Api.Model;
using Leaderboard.Api.Scoring;
using Npgsql;

namespace Leaderboard.Api.Data;

/// <summary>
/// PostgreSQL: the durable source of truth for scores. A submission commits here, in one
/// transaction with its idempotency key, before it is answered.
/// </summary>
internal sealed class ScoreStore(NpgsqlDataSource dataSource)
{
    /// <summary>The record after the write, and whether the write changed it.</summary>
    public sealed record WriteResult(ScoreRecord Record, bool Changed);

    /// <summary>An <c>Idempotency-Key</c> to remember with the write, and how to describe the write's answer.</summary>
    public sealed record IdempotencyClaim(string Key, byte[] RequestHash, Func<WriteResult, SubmitScoreResponse> Describe);

    /// <summary>Applies <paramref name="submission"/>, made at <paramref name="submittedAt"/>, to the player's record in <paramref name="period"/> by the board's operator.</summary>
    /// <exception cref="ScoreOutOfRangeException">An increment or decrement would leave the score range.</exception>
    /// <exception cref="PostgresException">With <see cref="PostgresErrorCodes.UniqueViolation"/> when a concurrent request holds the same idempotency key.</exception>
    public async Task<WriteResult> ApplyAsync(Board board, Period period, SubmittedScore submission, DateTimeOffset submittedAt, IdempotencyClaim? idempotency, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        await using (var ensurePeriod = new NpgsqlCommand(
            "INSERT INTO periods (board_id, period_id, starts_at, ends_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING", connection, transaction))
        {
            ensurePeriod.Parameters.AddWithValue(board.BoardId);
            ensurePeriod.Parameters.AddWithValue(period.Id);
            ensurePeriod.Parameters.AddWithValue(period.StartsAt);
            ensurePeriod.Parameters.Add(new NpgsqlParameter<DateTimeOffset?> { TypedValue = period.EndsAt, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz });
            await ensurePeriod.ExecuteNonQueryAsync(cancellationToken);
        }

        var result = await InsertFirstRecordAsync(connection, transaction, board, period, submission, submittedAt, cancellationToken)
            ?? await UpdateRecordAsync(connection, transaction, board, period, submission, submittedAt, cancellationToken);

        if (idempotency is not null)
        {
            await IdempotencyStore.RecordAsync(connection, transaction, idempotency.Key, idempotency.RequestHash, idempotency.Describe(result), submittedAt, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    /// <summary>Every record of a period, for rebuilding its index.</summary>
    public async IAsyncEnumerable<ScoreRecord> ReadPeriodAsync(string boardId, string periodId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT player_id, score, subscore, change_seq, metadata::text FROM scores WHERE board_id = $1 AND period = $2", connection);
        command.Parameters.AddWithValue(boardId);
        command.Parameters.AddWithValue(periodId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return ReadRecord(reader);
        }
    }

    /// <summary>Removes the player's records from every period of the board; returns the periods touched.</summary>
    public async Task<IReadOnlyList<string>> DeletePlayerAsync(string boardId, string playerId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("DELETE FROM scores WHERE board_id = $1 AND player_id = $2 RETURNING period", connection);
        command.Parameters.AddWithValue(boardId);
        command.Parameters.AddWithValue(playerId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var periods = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            periods.Add(reader.GetString(0));
        }

        return periods;
    }

    private static async Task<WriteResult?> InsertFirstRecordAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Board board, Period period, SubmittedScore submission, DateTimeOffset submittedAt, CancellationToken cancellationToken)
    {
        var sign = board.Operator == ScoreOperator.Decrement ? -1 : 1;
        await using var insert = new NpgsqlCommand("""
            INSERT INTO scores (board_id, period, player_id, score, subscore, metadata, submitted_at)
            VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7)
            ON CONFLICT (board_id, period, player_id) DO NOTHING
            RETURNING player_id, score, subscore, change_seq, metadata::text
            """, connection, transaction);
        insert.Parameters.AddWithValue(board.BoardId);
        insert.Parameters.AddWithValue(period.Id);
        insert.Parameters.AddWithValue(submission.PlayerId);
        insert.Parameters.AddWithValue(sign * submission.Score);
        insert.Parameters.AddWithValue(sign * submission.Subscore);
        insert.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = submission.Metadata?.GetRawText(), NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        insert.Parameters.AddWithValue(submittedAt);
        await using var reader = await insert.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new WriteResult(ReadRecord(reader), Changed: true) : null;
    }

    private static async Task<WriteResult> UpdateRecordAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Board board, Period period, SubmittedScore submission, DateTimeOffset submittedAt, CancellationToken cancellationToken)
    {
        ScoreRecord current;
        await using (var select = new NpgsqlCommand(
            "SELECT player_id, score, subscore, change_seq, metadata::text FROM scores WHERE board_id = $1 AND period = $2 AND player_id = $3 FOR UPDATE",
            connection,
            transaction))
        {
            select.Parameters.AddWithValue(board.BoardId);
            select.Parameters.AddWithValue(period.Id);
            select.Parameters.AddWithValue(submission.PlayerId);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            current = ReadRecord(reader);
        }

        var (score, subscore) = ScoreOperators.Combine(board, current, submission.Score, submission.Subscore);
        var metadataChanged = submission.Metadata is { } metadata && (current.Metadata is not { } old || !JsonElement.DeepEquals(old, metadata));
        if (score == current.Score && subscore == current.Subscore && (!metadataChanged || !ScoreOperators.Replaces(board, current, submission.Score, submission.Subscore)))
        {
            return new WriteResult(current, Changed: false);
        }

        // A new pair takes a new place in the tie order; metadata alone keeps the old one.
        var pairChanged = score != current.Score || subscore != current.Subscore;
        await using var update = new NpgsqlCommand($"""
            UPDATE scores SET score = $4, subscore = $5, metadata = coalesce($6::jsonb, metadata), submitted_at = $7,
                change_seq = {(pairChanged ? "nextval('score_changes')" : "change_seq")}
            WHERE board_id = $1 AND period = $2 AND player_id = $3
            RETURNING player_id, score, subscore, change_seq, metadata::text
            """, connection, transaction);
        update.Parameters.AddWithValue(board.BoardId);
        update.Parameters.AddWithValue(period.Id);
        update.Parameters.AddWithValue(submission.PlayerId);
        update.Parameters.AddWithValue(score);
        update.Parameters.AddWithValue(subscore);
        update.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = submission.Metadata?.GetRawText(), NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        update.Parameters.AddWithValue(submittedAt);
        await using var updated = await update.ExecuteReaderAsync(cancellationToken);
        await updated.ReadAsync(cancellationToken);
        return new WriteResult(ReadRecord(updated), Changed: true);
    }

    private static ScoreRecord ReadRecord(NpgsqlDataReader reader) => new(
        reader.GetString(0),
        reader.GetInt64(1),
        reader.GetInt64(2),
        reader.GetInt64(3),
        reader.IsDBNull(4) ? null : JsonDocument.Parse(reader.GetString(4)).RootElement.Clone());
}
