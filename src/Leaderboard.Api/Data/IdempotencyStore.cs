using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Leaderboard.Api.Model;
using Npgsql;

namespace Leaderboard.Api.Data;

/// <summary>
/// Remembers each <c>Idempotency-Key</c> with a hash of its request and the answer given, in
/// PostgreSQL, written in the same transaction as the score (see <see cref="ScoreStore.ApplyBatchAsync"/>).
/// Keys are kept at least 24 hours.
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
        await using var command = new NpgsqlCommand("SELECT request_hash, response::text FROM idempotency_keys WHERE idempotency_key = $1 AND response IS NOT NULL", connection);
        command.Parameters.AddWithValue(key);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new Remembered(reader.GetFieldValue<byte[]>(0), JsonSerializer.Deserialize<SubmitScoreResponse>(reader.GetString(1), JsonSerializerOptions.Web)!)
            : null;
    }

    /// <summary>Completes remembered answers with their ranks, known only after indexing: one statement for a batch.</summary>
    public async Task CompleteAsync(IReadOnlyList<(string Key, SubmitScoreResponse Response)> answers, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "UPDATE idempotency_keys k SET response = t.r::jsonb FROM unnest($1::text[], $2::text[]) AS t(key, r) WHERE k.idempotency_key = t.key",
            connection);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. answers.Select(answer => answer.Key)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. answers.Select(answer => JsonSerializer.Serialize(answer.Response, JsonSerializerOptions.Web))] });
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
