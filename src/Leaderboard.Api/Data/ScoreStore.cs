using System.Runtime.CompilerServices;
using System.Text.Json;
using Leaderboard.Api.Model;
using Leaderboard.Api.Scoring;
using Npgsql;
using NpgsqlTypes;

namespace Leaderboard.Api.Data;

/// <summary>
/// PostgreSQL: the durable source of truth for scores. Submissions are written in batches (group
/// commit): one transaction, a handful of multi-row statements, one commit for the whole batch, each
/// submission with its idempotency key; nothing is answered before that commit.
/// </summary>
internal sealed class ScoreStore(NpgsqlDataSource dataSource)
{
    private const int DeadlockRetries = 3;

    /// <summary>The record after the write, and whether the write changed it.</summary>
    public sealed record WriteResult(ScoreRecord Record, bool Changed);

    /// <summary>
    /// One submission of a batch: <see cref="Key"/> and <see cref="RequestHash"/> when it came with an
    /// <c>Idempotency-Key</c>. No two submissions of a batch name the same record or the same key.
    /// </summary>
    public sealed record Submission(Board Board, Period Period, SubmittedScore Score, string? Key, byte[]? RequestHash);

    /// <summary>What became of one submission of a batch.</summary>
    public abstract record Outcome
    {
        /// <summary>Written, or found unchanged (its answer, rank aside, is remembered with its key).</summary>
        public sealed record Written(WriteResult Result) : Outcome;

        /// <summary>Its key was used before with the same request: the remembered answer.</summary>
        public sealed record Replayed(SubmitScoreResponse Response) : Outcome;

        /// <summary>Its key was used before with another request.</summary>
        public sealed record KeyReused : Outcome;

        /// <summary>An increment or decrement that would leave the score range.</summary>
        public sealed record OutOfRange(string Message) : Outcome;

        /// <summary>The board is gone.</summary>
        public sealed record BoardMissing : Outcome;
    }

    /// <summary>
    /// Writes the batch in one transaction and returns each submission's outcome, in order. Board rows
    /// are share-locked first (a board deleted meanwhile is <see cref="Outcome.BoardMissing"/>, not a
    /// failed batch); keys are claimed with ON CONFLICT DO NOTHING (a key another transaction holds is
    /// waited for, then replayed or refused); rows are taken in one order (board, period, player) so
    /// concurrent batches do not deadlock, and a deadlock is retried before anything commits.
    /// </summary>
    /// <param name="submissions">The batch.</param>
    /// <param name="submittedAt">When the batch is written (the service's clock).</param>
    /// <param name="describe">The answer remembered with a key, for a written submission.</param>
    /// <param name="cancellationToken">Cancels the batch before it commits.</param>
    /// <exception cref="NpgsqlException">PostgreSQL failed or could not confirm the commit: nothing of the batch may be acknowledged.</exception>
    public async Task<Outcome[]> ApplyBatchAsync(IReadOnlyList<Submission> submissions, DateTimeOffset submittedAt, Func<Submission, WriteResult, SubmitScoreResponse> describe, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await TryApplyBatchAsync(submissions, submittedAt, describe, cancellationToken);
            }
            catch (PostgresException exception) when (attempt < DeadlockRetries && exception.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure)
            {
                // Rolled back before its commit: nothing of it was stored, so it runs again.
            }
        }
    }

    private async Task<Outcome[]> TryApplyBatchAsync(IReadOnlyList<Submission> submissions, DateTimeOffset submittedAt, Func<Submission, WriteResult, SubmitScoreResponse> describe, CancellationToken cancellationToken)
    {
        var outcomes = new Outcome?[submissions.Count];
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // 1. Lock the boards, make sure the periods exist, claim the keys (and read those already taken).
        var boardIds = submissions.Select(item => item.Board.BoardId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var periods = submissions.Select(item => (item.Board.BoardId, item.Period)).DistinctBy(pair => (pair.BoardId, pair.Period.Id)).ToArray();
        var keyed = Enumerable.Range(0, submissions.Count).Where(i => submissions[i].Key is not null).OrderBy(i => submissions[i].Key, StringComparer.Ordinal).ToArray();

        var existingBoards = new HashSet<string>(StringComparer.Ordinal);
        var claimed = new HashSet<string>(StringComparer.Ordinal);
        var taken = new Dictionary<string, (byte[] Hash, string? Response)>(StringComparer.Ordinal);
        await using (var first = new NpgsqlBatch(connection, transaction))
        {
            first.BatchCommands.Add(Command(
                "SELECT board_id FROM boards WHERE board_id = ANY($1) ORDER BY board_id FOR KEY SHARE",
                Array(boardIds)));
            if (keyed.Length > 0)
            {
                first.BatchCommands.Add(Command("""
                    INSERT INTO idempotency_keys (idempotency_key, request_hash, created_at)
                    SELECT t.k, t.h, $4 FROM unnest($1::text[], $2::bytea[], $3::text[]) AS t(k, h, b)
                    WHERE EXISTS (SELECT 1 FROM boards WHERE board_id = t.b)
                    ORDER BY t.k
                    ON CONFLICT DO NOTHING
                    RETURNING idempotency_key
                    """,
                    Array(keyed.Select(i => submissions[i].Key!).ToArray()),
                    Array(keyed.Select(i => submissions[i].RequestHash!).ToArray(), NpgsqlDbType.Bytea),
                    Array(keyed.Select(i => submissions[i].Board.BoardId).ToArray()),
                    Parameter(submittedAt, NpgsqlDbType.TimestampTz)));
                first.BatchCommands.Add(Command(
                    "SELECT idempotency_key, request_hash, response::text FROM idempotency_keys WHERE idempotency_key = ANY($1)",
                    Array(keyed.Select(i => submissions[i].Key!).ToArray())));
            }

            // Last, as it returns no rows: the reader's results are the statements above, in order
            // (a statement without rows has no result of its own to step over).
            first.BatchCommands.Add(Command("""
                INSERT INTO periods (board_id, period_id, starts_at, ends_at)
                SELECT t.b, t.p, t.s, t.e FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[]) AS t(b, p, s, e)
                WHERE EXISTS (SELECT 1 FROM boards WHERE board_id = t.b)
                ORDER BY t.b, t.p
                ON CONFLICT DO NOTHING
                """,
                Array(periods.Select(pair => pair.BoardId).ToArray()),
                Array(periods.Select(pair => pair.Period.Id).ToArray()),
                Array(periods.Select(pair => pair.Period.StartsAt).ToArray(), NpgsqlDbType.TimestampTz),
                Array(periods.Select(pair => pair.Period.EndsAt).ToArray(), NpgsqlDbType.TimestampTz)));
            await using var reader = await first.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                existingBoards.Add(reader.GetString(0));
            }

            if (keyed.Length > 0)
            {
                await reader.NextResultAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    claimed.Add(reader.GetString(0));
                }

                await reader.NextResultAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    taken[reader.GetString(0)] = (reader.GetFieldValue<byte[]>(1), reader.IsDBNull(2) ? null : reader.GetString(2));
                }
            }
        }

        // Who is written: boards that exist, without a key or with a key this batch claimed.
        var toWrite = new List<int>(submissions.Count);
        for (var i = 0; i < submissions.Count; i++)
        {
            var item = submissions[i];
            if (!existingBoards.Contains(item.Board.BoardId))
            {
                outcomes[i] = new Outcome.BoardMissing();
            }
            else if (item.Key is null || claimed.Contains(item.Key))
            {
                toWrite.Add(i);
            }
            else if (taken.TryGetValue(item.Key, out var remembered) && remembered.Hash.AsSpan().SequenceEqual(item.RequestHash))
            {
                outcomes[i] = remembered.Response is null
                    ? throw new InvalidOperationException($"Idempotency key '{item.Key}' is remembered without its answer.")
                    : new Outcome.Replayed(JsonSerializer.Deserialize<SubmitScoreResponse>(remembered.Response, JsonSerializerOptions.Web)!);
            }
            else
            {
                outcomes[i] = new Outcome.KeyReused();
            }
        }

        // 2. Upsert, one statement per operator (and direction): rows that changed come back.
        var written = new Dictionary<(string, string, string), ScoreRecord>();
        if (toWrite.Count > 0)
        {
            await using var upserts = new NpgsqlBatch(connection, transaction);
            foreach (var group in toWrite.GroupBy(i => (submissions[i].Board.Operator, submissions[i].Board.SortOrder)))
            {
                var rows = group.ToArray();
                var sign = group.Key.Operator == ScoreOperator.Decrement ? -1 : 1;
                upserts.BatchCommands.Add(Command(
                    UpsertSql(group.Key.Operator, group.Key.SortOrder),
                    Array(rows.Select(i => submissions[i].Board.BoardId).ToArray()),
                    Array(rows.Select(i => submissions[i].Period.Id).ToArray()),
                    Array(rows.Select(i => submissions[i].Score.PlayerId).ToArray()),
                    Array(rows.Select(i => sign * submissions[i].Score.Score).ToArray()),
                    Array(rows.Select(i => sign * submissions[i].Score.Subscore).ToArray()),
                    Array(rows.Select(i => submissions[i].Score.Metadata?.GetRawText()).ToArray(), NpgsqlDbType.Text),
                    Parameter(submittedAt, NpgsqlDbType.TimestampTz)));
            }

            await using var reader = await upserts.ExecuteReaderAsync(cancellationToken);
            do
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    written[(reader.GetString(0), reader.GetString(1), reader.GetString(2))] = ReadRecord(reader, 2);
                }
            }
            while (await reader.NextResultAsync(cancellationToken));
        }

        // 3. Rows that did not change (or could not: out of range) are read as they stand, still locked by the upsert.
        var unchanged = toWrite.Where(i => !written.ContainsKey(RowOf(submissions[i]))).ToArray();
        var current = new Dictionary<(string, string, string), ScoreRecord>();
        if (unchanged.Length > 0)
        {
            await using var select = new NpgsqlBatch(connection, transaction);
            select.BatchCommands.Add(Command("""
                SELECT s.board_id, s.period, s.player_id, s.score, s.subscore, s.change_seq, s.metadata::text
                FROM scores s JOIN unnest($1::text[], $2::text[], $3::text[]) AS t(b, p, pl)
                  ON s.board_id = t.b AND s.period = t.p AND s.player_id = t.pl
                """,
                Array(unchanged.Select(i => submissions[i].Board.BoardId).ToArray()),
                Array(unchanged.Select(i => submissions[i].Period.Id).ToArray()),
                Array(unchanged.Select(i => submissions[i].Score.PlayerId).ToArray())));
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                current[(reader.GetString(0), reader.GetString(1), reader.GetString(2))] = ReadRecord(reader, 2);
            }
        }

        var unclaim = new List<string>();
        foreach (var i in toWrite)
        {
            var item = submissions[i];
            if (written.TryGetValue(RowOf(item), out var record))
            {
                outcomes[i] = new Outcome.Written(new WriteResult(record, Changed: true));
                continue;
            }

            if (!current.TryGetValue(RowOf(item), out record))
            {
                throw new InvalidOperationException($"Player '{item.Score.PlayerId}' of board '{item.Board.BoardId}' was neither written nor found.");
            }

            try
            {
                // The same rule the statement applied: an operator result outside the range is refused.
                ScoreOperators.Combine(item.Board, record, item.Score.Score, item.Score.Subscore);
                outcomes[i] = new Outcome.Written(new WriteResult(record, Changed: false));
            }
            catch (ScoreOutOfRangeException exception)
            {
                outcomes[i] = new Outcome.OutOfRange(exception.Message);
                if (item.Key is not null)
                {
                    unclaim.Add(item.Key);
                }
            }
        }

        // 4. Remember the answers with their keys (rank unknown yet), drop keys of refused submissions,
        // count the accepted submissions per board period for the stats' submission rate, commit.
        var remember = toWrite.Where(i => submissions[i].Key is not null && outcomes[i] is Outcome.Written).ToArray();
        var accepted = toWrite.Where(i => outcomes[i] is Outcome.Written)
            .GroupBy(i => (submissions[i].Board.BoardId, submissions[i].Period.Id))
            .OrderBy(group => group.Key)
            .ToArray();
        if (remember.Length > 0 || unclaim.Count > 0 || accepted.Length > 0)
        {
            await using var last = new NpgsqlBatch(connection, transaction);
            if (accepted.Length > 0)
            {
                last.BatchCommands.Add(Command(
                    "INSERT INTO score_submissions_log (board_id, period, minute, submissions) SELECT t.b, t.p, date_trunc('minute', $3), t.n FROM unnest($1::text[], $2::text[], $4::integer[]) AS t(b, p, n)",
                    Array(accepted.Select(group => group.Key.BoardId).ToArray()),
                    Array(accepted.Select(group => group.Key.Id).ToArray()),
                    Parameter(submittedAt, NpgsqlDbType.TimestampTz),
                    Array(accepted.Select(group => group.Count()).ToArray())));
            }

            if (remember.Length > 0)
            {
                last.BatchCommands.Add(Command(
                    "UPDATE idempotency_keys k SET response = t.r::jsonb FROM unnest($1::text[], $2::text[]) AS t(key, r) WHERE k.idempotency_key = t.key",
                    Array(remember.Select(i => submissions[i].Key!).ToArray()),
                    Array(remember.Select(i => JsonSerializer.Serialize(describe(submissions[i], ((Outcome.Written)outcomes[i]!).Result), JsonSerializerOptions.Web)).ToArray())));
            }

            if (unclaim.Count > 0)
            {
                last.BatchCommands.Add(Command("DELETE FROM idempotency_keys WHERE idempotency_key = ANY($1)", Array(unclaim.ToArray())));
            }

            await last.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return [.. outcomes.Select(outcome => outcome!)];
    }

    /// <summary>
    /// The upsert of one operator: the stored pair becomes what the operator makes of it, metadata
    /// is replaced when given (and the submission is not a worse <c>best</c>), a new pair takes the next
    /// change, and a row that would not change is left alone (and not returned). Decrements arrive negated.
    /// </summary>
    private static string UpsertSql(ScoreOperator op, SortOrder order)
    {
        var better = order == SortOrder.Descending ? ">" : "<";
        var (score, subscore, replaces, inRange) = op switch
        {
            ScoreOperator.Best => (
                $"CASE WHEN (excluded.score, excluded.subscore) {better} (s.score, s.subscore) THEN excluded.score ELSE s.score END",
                $"CASE WHEN (excluded.score, excluded.subscore) {better} (s.score, s.subscore) THEN excluded.subscore ELSE s.subscore END",
                $"NOT ((s.score, s.subscore) {better} (excluded.score, excluded.subscore))",
                "true"),
            ScoreOperator.Set => ("excluded.score", "excluded.subscore", "true", "true"),
            ScoreOperator.Increment or ScoreOperator.Decrement => (
                "s.score + excluded.score",
                "s.subscore + excluded.subscore",
                "true",
                $"abs(s.score + excluded.score) <= {ScoreRange.Max} AND abs(s.subscore + excluded.subscore) <= {ScoreRange.Max}"),
            _ => throw new ArgumentOutOfRangeException(nameof(op), op, "Unknown operator."),
        };
        return $"""
            INSERT INTO scores AS s (board_id, period, player_id, score, subscore, metadata, submitted_at)
            SELECT t.b, t.p, t.pl, t.sc, t.ss, t.md::jsonb, $7
            FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::text[]) AS t(b, p, pl, sc, ss, md)
            WHERE EXISTS (SELECT 1 FROM boards WHERE board_id = t.b)
            ORDER BY t.b, t.p, t.pl
            ON CONFLICT (board_id, period, player_id) DO UPDATE SET
                score = {score},
                subscore = {subscore},
                metadata = coalesce(excluded.metadata, s.metadata),
                submitted_at = excluded.submitted_at,
                change_seq = CASE WHEN ({score}, {subscore}) IS DISTINCT FROM (s.score, s.subscore) THEN nextval('score_changes') ELSE s.change_seq END
            WHERE {inRange}
              AND (({score}, {subscore}) IS DISTINCT FROM (s.score, s.subscore)
                OR (excluded.metadata IS NOT NULL AND s.metadata IS DISTINCT FROM excluded.metadata AND {replaces}))
            RETURNING s.board_id, s.period, s.player_id, s.score, s.subscore, s.change_seq, s.metadata::text
            """;
    }

    /// <summary>Every record of a period, streamed with binary COPY, for rebuilding its index.</summary>
    public async IAsyncEnumerable<ScoreRecord> ExportPeriodAsync(string boardId, string periodId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // COPY takes no parameters: the ids are literals (validated ids; quotes doubled all the same).
        await using var export = await connection.BeginBinaryExportAsync(
            $"COPY (SELECT player_id, score, subscore, change_seq, metadata::text FROM scores WHERE board_id = {Literal(boardId)} AND period = {Literal(periodId)}) TO STDOUT (FORMAT BINARY)",
            cancellationToken);
        while (await export.StartRowAsync(cancellationToken) != -1)
        {
            var playerId = await export.ReadAsync<string>(NpgsqlDbType.Text, cancellationToken);
            var score = await export.ReadAsync<long>(NpgsqlDbType.Bigint, cancellationToken);
            var subscore = await export.ReadAsync<long>(NpgsqlDbType.Bigint, cancellationToken);
            var changeSeq = await export.ReadAsync<long>(NpgsqlDbType.Bigint, cancellationToken);
            string? metadata = null;
            if (export.IsNull)
            {
                await export.SkipAsync(cancellationToken);
            }
            else
            {
                metadata = await export.ReadAsync<string>(NpgsqlDbType.Text, cancellationToken);
            }

            yield return new ScoreRecord(playerId, score, subscore, changeSeq, metadata);
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

    private static (string, string, string) RowOf(Submission item) => (item.Board.BoardId, item.Period.Id, item.Score.PlayerId);

    private static string Literal(string text) => $"'{text.Replace("'", "''", StringComparison.Ordinal)}'";

    private static ScoreRecord ReadRecord(NpgsqlDataReader reader, int first) => new(
        reader.GetString(first),
        reader.GetInt64(first + 1),
        reader.GetInt64(first + 2),
        reader.GetInt64(first + 3),
        reader.IsDBNull(first + 4) ? null : reader.GetString(first + 4));

    private static NpgsqlBatchCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }

    private static NpgsqlParameter Array<T>(T[] values, NpgsqlDbType? element = null) =>
        element is { } type
            ? new NpgsqlParameter { Value = values, NpgsqlDbType = NpgsqlDbType.Array | type }
            : new NpgsqlParameter<T[]> { TypedValue = values };

    private static NpgsqlParameter Parameter<T>(T value, NpgsqlDbType type) => new NpgsqlParameter<T> { TypedValue = value, NpgsqlDbType = type };
}
