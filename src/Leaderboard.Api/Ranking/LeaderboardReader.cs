using Leaderboard.Api.Boards;
using Leaderboard.Api.Model;

namespace Leaderboard.Api.Ranking;

/// <summary>
/// Reads of ranked entries: the board from memory (<see cref="BoardCache"/>), then one round trip to
/// the Redis index, which says in the same trip whether it is ready. An index that is not ready is
/// rebuilt from PostgreSQL in the background; the read waits for that no longer than the cold-read
/// budget. Every read throws <see cref="IndexUnavailableException"/> while the index cannot answer.
/// </summary>
internal sealed class LeaderboardReader(BoardCache boards, BoardPeriods periods, RankingIndex index, IndexMaintenance maintenance)
{
    /// <summary>A board and the period a read asked for.</summary>
    public sealed record Target(Board Board, string PeriodId)
    {
        public IndexKeys Keys => new(Board.BoardId, PeriodId);
    }

    /// <summary>The board and period to read, or the reason there is none ("board" or "period").</summary>
    public async Task<(Target? Target, string? Missing)> ResolveAsync(string boardId, string? periodId, CancellationToken cancellationToken)
    {
        if (await boards.GetAsync(boardId, cancellationToken) is not { } board)
        {
            return (null, "board");
        }

        var current = periods.Current(board).Id;
        if (periodId is null || periodId == current)
        {
            return (new Target(board, current), null);
        }

        return await boards.PeriodExistsAsync(boardId, periodId, cancellationToken) ? (new Target(board, periodId), null) : (null, "period");
    }

    /// <summary>A page of the paging snapshot; null when the snapshot has expired.</summary>
    public Task<IndexPage?> PageAsync(Target target, int limit, PagePosition? after, CancellationToken cancellationToken) =>
        ReadAsync(target, () => index.PageAsync(target.Keys, target.Board.SortOrder, limit, after), cancellationToken);

    public Task<ScoreEntry?> PlayerAsync(Target target, string playerId, CancellationToken cancellationToken) =>
        ReadAsync(target, () => index.GetAsync(target.Keys, target.Board.SortOrder, playerId), cancellationToken);

    public Task<IReadOnlyList<ScoreEntry>> AroundAsync(Target target, string playerId, int radius, CancellationToken cancellationToken) =>
        ReadAsync(target, () => index.AroundAsync(target.Keys, target.Board.SortOrder, playerId, radius), cancellationToken);

    public Task<IReadOnlyList<ScoreEntry>> QueryAsync(Target target, IReadOnlyList<string> playerIds, CancellationToken cancellationToken) =>
        ReadAsync(target, () => index.QueryAsync(target.Keys, target.Board.SortOrder, playerIds), cancellationToken);

    /// <summary>
    /// The entry counts of the targets in one round trip, never waiting for a rebuild: null for a
    /// period whose index is not ready (its rebuild starts in the background) or while Redis is away.
    /// </summary>
    public async Task<long?[]> CountsAsync(IReadOnlyList<Target> targets)
    {
        long?[] counts;
        try
        {
            counts = await index.CountManyAsync([.. targets.Select(target => target.Keys)]);
        }
        catch (IndexUnavailableException)
        {
            return new long?[targets.Count];
        }

        for (var i = 0; i < targets.Count; i++)
        {
            if (counts[i] is null)
            {
                _ = maintenance.StartRebuild(targets[i].Board, targets[i].PeriodId);
            }
        }

        return counts;
    }

    private async Task<T> ReadAsync<T>(Target target, Func<Task<T>> read, CancellationToken cancellationToken)
    {
        try
        {
            return await read();
        }
        catch (IndexNotReadyException)
        {
            // Below: start or join the rebuild, then read again if it finished within the budget.
        }

        if (!await maintenance.WaitForRebuildAsync(target.Board, target.PeriodId, cancellationToken))
        {
            throw new IndexNotReadyException(target.Keys);
        }

        return await read();
    }
}
