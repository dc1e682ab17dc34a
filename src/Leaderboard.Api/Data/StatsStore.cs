using System.Text.Json;
using Leaderboard.Api.Model;
using Npgsql;

namespace Leaderboard.Api.Data;

/// <summary>PostgreSQL: the stats rows the stats worker writes; one row read by its key, whatever the board's size.</summary>
internal sealed class StatsStore(NpgsqlDataSource dataSource, TimeProvider clock)
{
    public async Task<PeriodStatsResponse> GetAsync(string boardId, string period, CancellationToken cancellationToken)
    {
        // The rate counts the minutes of the last hour as of now (the API's clock, the one that stamps
        // submissions), so it falls when submissions stop.
        await using var command = dataSource.CreateCommand("""
            SELECT s.entries, s.changes, s.submissions,
                   stats_submission_rate(s.minutes, $3),
                   s.min_score, s.max_score, CASE WHEN s.entries > 0 THEN (s.score_sum / s.entries)::double precision END,
                   s.p50, s.p90, s.p99,
                   (SELECT coalesce(jsonb_agg(b ORDER BY (b->>'from')::bigint), '[]') FROM jsonb_array_elements(s.histogram) b WHERE (b->>'count')::bigint > 0)::text,
                   s.leader_player, s.leader_score, s.new_leaders::text, s.climbers::text,
                   r.headline, r.highlights::text, r.written_at,
                   s.last_change_at, s.updated_at
            FROM stats_periods s LEFT JOIN stats_recaps r USING (board_id, period)
            WHERE s.board_id = $1 AND s.period = $2
            """);
        command.Parameters.AddWithValue(boardId);
        command.Parameters.AddWithValue(period);
        command.Parameters.AddWithValue(clock.GetUtcNow());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            // The worker has not applied a change of this period yet.
            return new PeriodStatsResponse(period, 0, 0, 0, 0, null, null, null, null, null, null, [], null, [], [], null, null, null);
        }

        T? Value<T>(int column)
            where T : struct => reader.IsDBNull(column) ? null : reader.GetFieldValue<T>(column);
        List<T> List<T>(int column) => reader.IsDBNull(column) ? [] : JsonSerializer.Deserialize<List<T>>(reader.GetString(column), JsonSerializerOptions.Web)!;

        return new PeriodStatsResponse(
            period,
            reader.GetInt64(0),
            reader.GetInt64(1),
            reader.GetInt64(2),
            (double)reader.GetDecimal(3),
            Value<long>(4),
            Value<long>(5),
            Value<double>(6),
            Value<double>(7),
            Value<double>(8),
            Value<double>(9),
            List<StatsHistogramBin>(10),
            reader.IsDBNull(11) ? null : new StatsLeader(reader.GetString(11), reader.GetInt64(12)),
            List<StatsNewLeader>(13),
            List<StatsClimber>(14),
            reader.IsDBNull(15) ? null : new StatsRecap(reader.GetString(15), List<string>(16), reader.GetFieldValue<DateTimeOffset>(17)),
            Value<DateTimeOffset>(18),
            Value<DateTimeOffset>(19));
    }
}
