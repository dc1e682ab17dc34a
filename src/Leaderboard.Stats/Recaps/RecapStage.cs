using System.Text.Json;
using Leaderboard.Recaps;
using Npgsql;

namespace Leaderboard.Stats.Recaps;

/// <summary>
/// The LLM stage of the stats program: for each period whose stats moved since its last recap (and
/// not more often than <see cref="MinimumInterval"/>), the digest of its pre-aggregated stats goes to
/// the compiled recap program; only a recap that passes the faithfulness metric is stored. Every
/// attempt counts against the interval, so a period whose recaps keep failing costs one model call
/// per interval at most, and never holds back the others.
/// One replica at a time writes recaps (a session advisory lock), so a model is asked once per period.
/// </summary>
public sealed partial class RecapStage(NpgsqlDataSource database, RecapWriter writer, ILogger<RecapStage> logger)
{
    // Any fixed number shared by the replicas; "recaps" in ASCII.
    private const long RecapLock = 0x7265636170730000;

    public static readonly TimeSpan DefaultMinimumInterval = TimeSpan.FromMinutes(5);

    /// <summary>The shortest time between two recaps of one period.</summary>
    public TimeSpan MinimumInterval { get; init; } = DefaultMinimumInterval;

    /// <summary>Periods recapped per round at most, so one round never runs long.</summary>
    public int PeriodsPerRound { get; init; } = 10;

    /// <summary>Writes the recaps that are due; how many were published.</summary>
    public async Task<int> WriteDueAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using (var claim = new NpgsqlCommand("SELECT pg_try_advisory_lock($1)", connection))
        {
            claim.Parameters.AddWithValue(RecapLock);
            if (!(bool)(await claim.ExecuteScalarAsync(cancellationToken))!)
            {
                return 0;
            }
        }

        try
        {
            var published = 0;
            foreach (var digest in await DueAsync(connection, cancellationToken))
            {
                await AttemptedAsync(connection, digest, cancellationToken);
                var outcome = await writer.WriteAsync(digest, cancellationToken);
                if (outcome.Recap is { } recap)
                {
                    await StoreAsync(connection, digest, recap, cancellationToken);
                    published++;
                }
                else
                {
                    LogRefused(logger, digest.Board, digest.Period, string.Join(" ", outcome.Problems));
                }
            }

            return published;
        }
        finally
        {
            await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock($1)", connection);
            release.Parameters.AddWithValue(RecapLock);
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    private async Task<List<PeriodDigest>> DueAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var due = new NpgsqlCommand(
            """
            SELECT s.board_id, s.period, s.entries,
                   stats_submission_rate(s.minutes, now()),
                   s.min_score, s.max_score, (s.score_sum / s.entries)::double precision, s.p50, s.p90, s.p99,
                   s.leader_player, s.leader_score, s.new_leaders::text, s.climbers::text
            FROM stats_periods s LEFT JOIN stats_recap_attempts a USING (board_id, period)
            WHERE s.entries > 0 AND s.leader_player IS NOT NULL AND s.p50 IS NOT NULL
              AND (a.attempted_at IS NULL OR (s.updated_at > a.attempted_at AND a.attempted_at < now() - $1))
            ORDER BY a.attempted_at NULLS FIRST, s.board_id, s.period
            LIMIT $2
            """,
            connection);
        due.Parameters.AddWithValue(MinimumInterval);
        due.Parameters.AddWithValue(PeriodsPerRound);
        var digests = new List<PeriodDigest>();
        await using var reader = await due.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var newLeaders = JsonSerializer.Deserialize<List<JsonElement>>(reader.IsDBNull(12) ? "[]" : reader.GetString(12))!;
            digests.Add(new PeriodDigest(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetInt64(2),
                Math.Round((double)reader.GetDecimal(3), 1),
                reader.GetInt64(4),
                reader.GetInt64(5),
                Math.Round(reader.GetDouble(6), 1),
                Math.Round(reader.GetDouble(7)),
                Math.Round(reader.GetDouble(8)),
                Math.Round(reader.GetDouble(9)),
                reader.GetString(10),
                reader.GetInt64(11),
                [.. newLeaders.Select(leader => leader.GetProperty("player").GetString()!)],
                JsonSerializer.Deserialize<List<Climber>>(reader.IsDBNull(13) ? "[]" : reader.GetString(13), JsonSerializerOptions.Web)!));
        }

        return digests;
    }

    private static async Task AttemptedAsync(NpgsqlConnection connection, PeriodDigest digest, CancellationToken cancellationToken)
    {
        await using var attempted = new NpgsqlCommand(
            """
            INSERT INTO stats_recap_attempts (board_id, period, attempted_at) VALUES ($1, $2, now())
            ON CONFLICT (board_id, period) DO UPDATE SET attempted_at = EXCLUDED.attempted_at
            """,
            connection);
        attempted.Parameters.AddWithValue(digest.Board);
        attempted.Parameters.AddWithValue(digest.Period);
        await attempted.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task StoreAsync(NpgsqlConnection connection, PeriodDigest digest, Recap recap, CancellationToken cancellationToken)
    {
        await using var store = new NpgsqlCommand(
            """
            INSERT INTO stats_recaps (board_id, period, headline, highlights, written_at) VALUES ($1, $2, $3, $4::jsonb, now())
            ON CONFLICT (board_id, period) DO UPDATE SET headline = EXCLUDED.headline, highlights = EXCLUDED.highlights, written_at = EXCLUDED.written_at
            """,
            connection);
        store.Parameters.AddWithValue(digest.Board);
        store.Parameters.AddWithValue(digest.Period);
        store.Parameters.AddWithValue(recap.Headline);
        store.Parameters.AddWithValue(JsonSerializer.Serialize(recap.Highlights));
        await store.ExecuteNonQueryAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The recap of board {Board} period {Period} was not published: {Problems}")]
    private static partial void LogRefused(ILogger logger, string board, string period, string problems);
}
