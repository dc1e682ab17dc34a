using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Leaderboard.Api.Model;
using Npgsql;

namespace Leaderboard.Api.Data;

/// <summary>
/// Remembers each <c>Idempotency-Key</c> with a hash of its request and the answer given, in
/// PostgreSQL, written in the same transaction as the score. Keys are kept at least 24 hours.
/// </summary>
internal sealed class IdempotencyStore(NpgsqlDataSource dataSource)
{
    /// <summary>How long a key is remembered at least; purged after twice that.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    public sealed record Remembered(byte[] RequestHash, SubmitScoreResponse Response);

    public static byte[] HashRequest(string boardId, string playerId, long score, long subscore, JsonElement? metadata) =>
        SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new object?[] { boardId, playerId, score, subscore, metadata?.GetRawText() })));

    public async Task<Remembered?> FindAsync(string key, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT request_hash, response::text FROM idempotency_keys WHERE idempotency_key = $1", connection);
        command.Parameters.AddWithValue(key);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new Remembered(reader.GetFieldValue<byte[]>(0), JsonSerializer.Deserialize<SubmitScoreResponse>(reader.GetString(1), JsonSerializerOptions.Web)!)
            : null;
    }

    /// <summary>
    /// Stores the key inside the score's transaction; a concurrent duplicate fails there with a unique
    /// violation. <paramref name="createdAt"/> is on the service's clock, the one the purge measures ages on.
    /// </summary>
    public static async Task RecordAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string key, byte[] requestHash, SubmitScoreResponse response, DateTimeOffset createdAt, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "INSERT INTO idempotency_keys (idempotency_key, request_hash, response, created_at) VALUES ($1, $2, $3::jsonb, $4)", connection, transaction);
        command.Parameters.AddWithValue(key);
        command.Parameters.AddWithValue(requestHash);
        command.Parameters.AddWithValue(JsonSerializer.Serialize(response, JsonSerializerOptions.Web));
        command.Parameters.AddWithValue(createdAt);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Completes the remembered answer with the rank, known only after indexing.</summary>
    public async Task CompleteAsync(string key, SubmitScoreResponse response, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("UPDATE idempotency_keys SET response = $2::jsonb WHERE idempotency_key = $1", connection);
        command.Parameters.AddWithValue(key);
        command.Parameters.AddWithValue(JsonSerializer.Serialize(response, JsonSerializerOptions.Web));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<int> PurgeAsync(DateTimeOffset olderThan, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("DELETE FROM idempotency_keys WHERE created_at < $1", connection);
        command.Parameters.AddWithValue(olderThan);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
