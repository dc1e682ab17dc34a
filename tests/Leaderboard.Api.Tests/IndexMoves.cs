using Leaderboard.Api.Model;
using Leaderboard.Api.Ranking;
using Microsoft.Extensions.DependencyInjection;

namespace Leaderboard.Api.Tests;

/// <summary>
/// Moves one player's record of a board's current all-time period many times, fast: each move is a
/// write of the service's own ranking index (the one a submission makes after PostgreSQL commits),
/// with the same score and a later change, so the player leaves the position it held.
/// </summary>
internal sealed class IndexMoves(DataStoresFixture stores, string boardId, string playerId)
{
    private const int BatchSize = 10_000;

    // Later than any change PostgreSQL hands out in a test run, so every move is newer than any snapshot.
    private long _nextChange = 1L << 40;

    public async Task MakeAsync(int count)
    {
        var index = stores.Api.Services.GetRequiredService<RankingIndex>();
        var keys = new IndexKeys(boardId, "all-time");
        var stored = await stores.StoredScoreAsync(boardId, playerId)
            ?? throw new InvalidOperationException($"{playerId} has no record on {boardId}.");
        for (var done = 0; done < count; done += BatchSize)
        {
            var records = Enumerable.Range(0, Math.Min(BatchSize, count - done))
                .Select(_ => new ScoreRecord(playerId, stored, 0, _nextChange++, null))
                .ToList();
            await index.ApplyManyAsync(keys, SortOrder.Descending, records).WaitAsync(TimeSpan.FromMinutes(2), LeaderboardClient.Cancellation);
        }
    }
}
