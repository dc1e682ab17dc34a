using Leaderboard.Api.Boards;
using Leaderboard.Api.Data;
using Leaderboard.Api.Model;

namespace Leaderboard.Api.Ranking;

/// <summary>
/// Reads of ranked entries: always from the Redis index, rebuilt from PostgreSQL first when it is
/// not complete. Every read throws <see cref="IndexUnavailableException"/> while the index cannot answer.
/// </summary>
internal sealed class LeaderboardReader(BoardStore boards, BoardPeriods periods, RankingIndex index, IndexMaintenance maintenance)
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

    public Task<long> CountAsync(Target target, CancellationToken cancellationToken) =>
        ReadAsync(target, () => index.CountAsync(target.Keys), cancellationToken);

    private async Task<T> ReadAsync<T>(Target target, Func<Task<T>> read, CancellationToken cancellationToken)
    {
        await maintenance.EnsureReadyAsync(target.Board, target.PeriodId, cancellationToken);
        return await read();
    }
}
