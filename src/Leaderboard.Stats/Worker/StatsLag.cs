using System.Diagnostics.Metrics;
using Npgsql;

namespace Leaderboard.Stats.Worker;

/// <summary>
/// The stats lag as a metric, <c>leaderboard.stats.lag</c>: seconds since the oldest logged change or
/// submission count that no board's checkpoint has passed yet was logged; 0 when every change is applied.
/// </summary>
public sealed class StatsLag
{
    public const string MeterName = "Leaderboard.Stats";
    public const string InstrumentName = "leaderboard.stats.lag";

    private double _seconds;

    public StatsLag(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        meters.Create(MeterName).CreateObservableGauge(InstrumentName, () => Volatile.Read(ref _seconds), unit: "s",
            description: "Seconds since the oldest score change the stats do not include yet was logged.");
    }

    /// <summary>The lag as last measured.</summary>
    public double Seconds => Volatile.Read(ref _seconds);

    public async Task MeasureAsync(NpgsqlDataSource database, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        await using var command = database.CreateCommand("""
            SELECT coalesce(extract(epoch FROM clock_timestamp() - min(l.logged_at)), 0)::double precision
            FROM (SELECT board_id, txid, logged_at FROM score_changes_log
                  UNION ALL SELECT board_id, txid, logged_at FROM score_submissions_log) l
            LEFT JOIN stats_checkpoints c USING (board_id)
            WHERE c.watermark IS NULL OR l.txid >= c.watermark
            """);
        Volatile.Write(ref _seconds, (double)(await command.ExecuteScalarAsync(cancellationToken))!);
    }
}
