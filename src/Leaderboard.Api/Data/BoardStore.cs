using System.Text.Json;
using Leaderboard.Api.Model;
using Npgsql;

namespace Leaderboard.Api.Data;

/// <summary>PostgreSQL: board definitions and the periods that received scores.</summary>
internal sealed class BoardStore(NpgsqlDataSource dataSource, TimeProvider clock)
{
    private const string Columns = "board_id, sort_order, operator, reset_schedule, min_score, max_score, metadata::text, created_at";

    /// <summary>What a create-or-update did.</summary>
    public enum SaveOutcome
    {
        Created,
        Unchanged,
        Updated,
        Conflict,
    }

    /// <summary>
    /// Creates the board, or updates its schedule, bounds and metadata. Changing the sort order or
    /// operator of an existing board is a conflict: its stored scores were ranked by the old rules.
    /// </summary>
    public async Task<(SaveOutcome Outcome, Board Board)> SaveAsync(Board requested, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        await using (var insert = new NpgsqlCommand($"""
            INSERT INTO boards (board_id, sort_order, operator, reset_schedule, min_score, max_score, metadata, created_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8)
            ON CONFLICT (board_id) DO NOTHING
            RETURNING {Columns}
            """, connection, transaction))
        {
            AddConfiguration(insert, requested);
            insert.Parameters.AddWithValue(clock.GetUtcNow());
            await using var reader = await insert.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
            {
                var created = Read(reader);
                await reader.DisposeAsync();
                await transaction.CommitAsync(cancellationToken);
                return (SaveOutcome.Created, created);
            }
        }

        var existing = await GetAsync(connection, transaction, requested.BoardId, forUpdate: true, cancellationToken)
            ?? throw new InvalidOperationException($"Board '{requested.BoardId}' vanished during its update.");

        if (existing.SortOrder != requested.SortOrder || existing.Operator != requested.Operator)
        {
            return (SaveOutcome.Conflict, existing);
        }

        var wanted = requested with { CreatedAt = existing.CreatedAt };
        if (existing.HasSameConfiguration(wanted))
        {
            return (SaveOutcome.Unchanged, existing);
        }

        await using var update = new NpgsqlCommand(
            "UPDATE boards SET reset_schedule = $2, min_score = $3, max_score = $4, metadata = $5::jsonb WHERE board_id = $1",
            connection,
            transaction);
        update.Parameters.AddWithValue(wanted.BoardId);
        AddAdjustableSettings(update, wanted);
        await update.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (SaveOutcome.Updated, wanted);
    }

    public async Task<Board?> GetAsync(string boardId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await GetAsync(connection, transaction: null, boardId, forUpdate: false, cancellationToken);
    }

    public async Task<IReadOnlyList<Board>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"SELECT {Columns} FROM boards ORDER BY board_id", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var boards = new List<Board>();
        while (await reader.ReadAsync(cancellationToken))
        {
            boards.Add(Read(reader));
        }

        return boards;
    }

    /// <summary>Deletes the board with all its periods and scores; false when it did not exist.</summary>
    public async Task<bool> DeleteAsync(string boardId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("DELETE FROM boards WHERE board_id = $1", connection);
        command.Parameters.AddWithValue(boardId);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    /// <summary>Periods that received scores, newest first.</summary>
    public async Task<IReadOnlyList<Period>> ListPeriodsAsync(string boardId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT period_id, starts_at, ends_at FROM periods WHERE board_id = $1 ORDER BY starts_at DESC", connection);
        command.Parameters.AddWithValue(boardId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var periods = new List<Period>();
        while (await reader.ReadAsync(cancellationToken))
        {
            periods.Add(new Period(reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1), reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2)));
        }

        return periods;
    }

    /// <summary>Whether the board has a stored period with this id (an archived read target).</summary>
    public async Task<bool> PeriodExistsAsync(string boardId, string periodId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT 1 FROM periods WHERE board_id = $1 AND period_id = $2", connection);
        command.Parameters.AddWithValue(boardId);
        command.Parameters.AddWithValue(periodId);
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    private static async Task<Board?> GetAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string boardId, bool forUpdate, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"SELECT {Columns} FROM boards WHERE board_id = $1{(forUpdate ? " FOR UPDATE" : string.Empty)}", connection, transaction);
        command.Parameters.AddWithValue(boardId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    private static void AddConfiguration(NpgsqlCommand command, Board board)
    {
        command.Parameters.AddWithValue(board.BoardId);
        command.Parameters.AddWithValue(board.SortOrder.ToString().ToLowerInvariant());
        command.Parameters.AddWithValue(board.Operator.ToString().ToLowerInvariant());
        AddAdjustableSettings(command, board);
    }

    /// <summary>The settings an existing board may change: schedule, bounds and metadata.</summary>
    private static void AddAdjustableSettings(NpgsqlCommand command, Board board)
    {
        command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = board.ResetSchedule, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<long?> { TypedValue = board.MinScore, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint });
        command.Parameters.Add(new NpgsqlParameter<long?> { TypedValue = board.MaxScore, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint });
        command.Parameters.AddWithValue(board.Metadata.GetRawText());
    }

    private static Board Read(NpgsqlDataReader reader) => new(
        reader.GetString(0),
        Enum.Parse<SortOrder>(reader.GetString(1), ignoreCase: true),
        Enum.Parse<ScoreOperator>(reader.GetString(2), ignoreCase: true),
        reader.IsDBNull(3) ? null : reader.GetString(3),
        reader.IsDBNull(4) ? null : reader.GetInt64(4),
        reader.IsDBNull(5) ? null : reader.GetInt64(5),
        JsonDocument.Parse(reader.GetString(6)).RootElement.Clone(),
        reader.GetFieldValue<DateTimeOffset>(7));
}
