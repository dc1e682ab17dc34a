using Leaderboard.Api.Model;
using StackExchange.Redis;

namespace Leaderboard.Api.Services;

/// <summary>The path of a score: PostgreSQL first (durable), then the Redis index.</summary>
internal sealed partial class ScoreService(ScoreStore store, RankingIndex index, TimeProvider clock, ILogger<ScoreService> logger)
{
    /// <summary>Stores the score durably, then indexes it. An index failure does not fail the write: the index is rebuildable.</summary>
    public async Task<SubmitScoreResponse> SubmitAsync(string boardId, string playerId, long score, CancellationToken cancellationToken)
    {
        var stored = await store.KeepBestAsync(boardId, playerId, score, clock.GetUtcNow(), cancellationToken);

        long? rank = null;
        try
        {
            rank = await index.IndexBestAsync(boardId, playerId, stored.Score);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            LogIndexFailed(exception, boardId);
        }

        return new SubmitScoreResponse(playerId, stored.Score, rank, stored.Changed);
    }

    /// <summary>The top of the board, read from the index only.</summary>
    public Task<IReadOnlyList<ScoreEntry>> TopAsync(string boardId, int limit) => index.TopAsync(boardId, limit);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Score stored durably but not indexed for board {BoardId}")]
    private partial void LogIndexFailed(Exception exception, string boardId);
}
