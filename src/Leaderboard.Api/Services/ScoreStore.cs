using Npgsql;

namespace Leaderboard.Api.Services;

/// <summary>PostgreSQL: the durable source of truth for scores. Every write commits here before it is answered.</summary>
internal sealed class ScoreStore(NpgsqlDataSource dataSource)
{
    /// <summary>The player's record after the write, and whether the write changed it.</summary>
    public sealed record StoredScore(long Score, bool Changed);

    /// <summary>Keeps the better of the stored and submitted score (creating the board on first use).</summary>
    public async Task<StoredScore> KeepBestAsync(string boardId, string playerId, long score, DateTimeOffset submittedAt, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("INSERT INTO boards (board_id) VALUES ($1) ON CONFLICT DO NOTHING")
                {
                    Parameters = { new() { Value = boardId } },
                },
                // The upsert returns a row only when it inserted or raised the score.
                new NpgsqlBatchCommand("""
                    INSERT INTO scores (board_id, player_id, score, submitted_at) VALUES ($1, $2, $3, $4)
                    ON CONFLICT (board_id, period, player_id) DO UPDATE
                        SET score = excluded.score, submitted_at = excluded.submitted_at
                        WHERE excluded.score > scores.score
                    RETURNING score
                    """)
                {
                    Parameters = { new() { Value = boardId }, new() { Value = playerId }, new() { Value = score }, new() { Value = submittedAt } },
                },
                new NpgsqlBatchCommand("SELECT score FROM scores WHERE board_id = $1 AND period = '' AND player_id = $2")
                {
                    Parameters = { new() { Value = boardId }, new() { Value = playerId } },
                },
            },
        };

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        var changed = await reader.ReadAsync(cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new StoredScore(reader.GetInt64(0), changed);
    }
}
