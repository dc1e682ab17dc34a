using Leaderboard.Api.Model;
using Npgsql;

namespace Leaderboard.Api.Data;

/// <summary>PostgreSQL: the stats rows the stats worker writes; one row read by its key, whatever the board's size.</summary>
internal sealed class StatsStore(NpgsqlDataSource dataSource)
{
    public async Task<PeriodStatsResponse> GetAsync(string boardId, string period, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT entries, changes, min_score, max_score, CASE WHEN entries > 0 THEN (score_sum / entries)::double precision END,
                   p50, p90, p99, last_change_at, updated_at
            FROM stats_periods WHERE board_id = $1 AND period = $2
            """);
        command.Parameters.AddWithValue(boardId);
        command.Parameters.AddWithValue(period);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            // The worker has not applied a change of this period yet.
            return new PeriodStatsResponse(period, 0, 0, null, null, null, null, null, null, null, null);
        }

        T? Nullable<T>(int column)
            where T : struct => reader.IsDBNull(column) ? null : reader.GetFieldValue<T>(column);

        return new PeriodStatsResponse(
            period,
            reader.GetInt64(0),
            reader.GetInt64(1),
            Nullable<long>(2),
            Nullable<long>(3),
            Nullable<double>(4),
            Nullable<double>(5),
            Nullable<double>(6),
            Nullable<double>(7),
            Nullable<DateTimeOffset>(8),
            Nullable<DateTimeOffset>(9));
    }
}
