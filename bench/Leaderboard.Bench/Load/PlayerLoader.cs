using System.Diagnostics;
using Npgsql;
using NpgsqlTypes;

namespace Leaderboard.Bench.Load;

/// <summary>Loads players straight into PostgreSQL with COPY, as a migration or a restore would, bypassing the API.</summary>
internal static class PlayerLoader
{
    /// <summary>The id of player <paramref name="index"/> (1-based): 16 characters, as a game's account ids might be.</summary>
    public static string PlayerId(int index) => $"player-{index:D9}";

    /// <summary>Scores of <paramref name="players"/> players on an everlasting board: uniform in 0..9,999,999 (ties happen at 1M), subscore 0.</summary>
    public static async Task<TimeSpan> LoadAsync(string connectionString, string boardId, int players)
    {
        var clock = Stopwatch.StartNew();
        var random = new Random(20261201);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using (var writer = await connection.BeginBinaryImportAsync(
            "COPY scores (board_id, period, player_id, score, subscore, submitted_at) FROM STDIN (FORMAT BINARY)"))
        {
            var now = DateTimeOffset.UtcNow;
            for (var i = 1; i <= players; i++)
            {
                await writer.StartRowAsync();
                await writer.WriteAsync(boardId, NpgsqlDbType.Text);
                await writer.WriteAsync("all-time", NpgsqlDbType.Text);
                await writer.WriteAsync(PlayerId(i), NpgsqlDbType.Text);
                await writer.WriteAsync((long)random.Next(10_000_000), NpgsqlDbType.Bigint);
                await writer.WriteAsync(0L, NpgsqlDbType.Bigint);
                await writer.WriteAsync(now, NpgsqlDbType.TimestampTz);
            }

            await writer.CompleteAsync();
        }

        await using (var period = new NpgsqlCommand(
            "INSERT INTO periods (board_id, period_id, starts_at) SELECT board_id, 'all-time', created_at FROM boards WHERE board_id = $1 ON CONFLICT DO NOTHING", connection))
        {
            period.Parameters.AddWithValue(boardId);
            await period.ExecuteNonQueryAsync();
        }

        await using (var analyze = new NpgsqlCommand("ANALYZE scores", connection))
        {
            await analyze.ExecuteNonQueryAsync();
        }

        return clock.Elapsed;
    }
}
