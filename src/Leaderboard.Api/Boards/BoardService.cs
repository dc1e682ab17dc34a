using System.Text.Json;
using Leaderboard.Api.Data;
using Leaderboard.Api.Model;
using Leaderboard.Api.Ranking;

namespace Leaderboard.Api.Boards;

/// <summary>
/// Boards: create or update one, delete one with its scores and index, rebuild its index, and
/// describe boards and their periods. PostgreSQL holds the boards (every replica keeps them in
/// memory, see <see cref="BoardCache"/>); the index adds only the entry count, which is left out
/// while the index is away or being rebuilt: describing boards never waits for a rebuild.
/// </summary>
internal sealed class BoardService(
    BoardStore boards,
    BoardCache cache,
    BoardPeriods periods,
    LeaderboardReader reader,
    RankingIndex index,
    IndexMaintenance maintenance,
    IndexWriteBudget indexBudget,
    TimeProvider clock)
{
    /// <summary>
    /// Creates the board, or updates its schedule, bounds and metadata. Its sort order and operator
    /// never change: its stored scores were ranked by them.
    /// </summary>
    /// <param name="boardId">A valid board id.</param>
    /// <param name="definition">A valid definition; what it leaves out takes the default (descending, best, no schedule, no bounds, empty metadata).</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public async Task<SaveBoardOutcome> SaveAsync(string boardId, BoardDefinition definition, CancellationToken cancellationToken)
    {
        var requested = new Board(
            boardId,
            definition.SortOrder ?? SortOrder.Descending,
            definition.Operator ?? ScoreOperator.Best,
            definition.ResetSchedule,
            definition.MinScore,
            definition.MaxScore,
            definition.Metadata is { ValueKind: JsonValueKind.Object } metadata ? metadata : JsonDocument.Parse("{}").RootElement.Clone(),
            clock.GetUtcNow());
        var (outcome, board) = await boards.SaveAsync(requested, cancellationToken);
        if (outcome is BoardStore.SaveOutcome.Created or BoardStore.SaveOutcome.Updated)
        {
            await cache.ChangedAsync(boardId);
        }

        if (outcome == BoardStore.SaveOutcome.Created)
        {
            await OpenIndexAsync(board);
        }

        return outcome switch
        {
            BoardStore.SaveOutcome.Conflict => new SaveBoardOutcome.RulesConflict(board),
            BoardStore.SaveOutcome.Created => new SaveBoardOutcome.Created((await DescribeAsync([board]))[0]),
            _ => new SaveBoardOutcome.Updated((await DescribeAsync([board]))[0]),
        };
    }

    // A new board has no scores: its index is complete while empty, so its first read need not rebuild it.
    private async Task OpenIndexAsync(Board board)
    {
        try
        {
            await indexBudget.WithinAsync(index.OpenAsync(new IndexKeys(board.BoardId, periods.Current(board).Id)));
        }
        catch (IndexUnavailableException)
        {
            // Its first read rebuilds it instead.
        }
    }

    /// <summary>Deletes the board with all its periods, scores and index keys; false when there is no such board.</summary>
    public async Task<bool> DeleteAsync(string boardId, CancellationToken cancellationToken)
    {
        if (await boards.GetAsync(boardId, cancellationToken) is not { } board)
        {
            return false;
        }

        var periodIds = (await boards.ListPeriodsAsync(boardId, cancellationToken)).Select(period => period.Id).Append(periods.Current(board).Id).Distinct();
        await boards.DeleteAsync(boardId, cancellationToken);
        await cache.ChangedAsync(boardId);
        try
        {
            await indexBudget.WithinAsync(DeleteIndexesAsync(boardId, periodIds));
        }
        catch (IndexUnavailableException)
        {
            // The board is gone from PostgreSQL, so no read reaches these keys; they are only unused memory.
        }

        return true;
    }

    private async Task DeleteIndexesAsync(string boardId, IEnumerable<string> periodIds)
    {
        foreach (var periodId in periodIds)
        {
            await index.DeleteAsync(new IndexKeys(boardId, periodId));
        }
    }

    /// <summary>Rebuilds the index of the board's current period from PostgreSQL.</summary>
    /// <exception cref="IndexUnavailableException">Redis is down.</exception>
    public async Task<IndexRebuildOutcome> RebuildIndexAsync(string boardId, CancellationToken cancellationToken)
    {
        if (await cache.GetAsync(boardId, cancellationToken) is not { } board)
        {
            return IndexRebuildOutcome.BoardNotFound;
        }

        return await maintenance.RebuildAsync(board, periods.Current(board).Id, cancellationToken) == IndexMaintenance.Outcome.Busy
            ? IndexRebuildOutcome.AlreadyRebuilding
            : IndexRebuildOutcome.Rebuilt;
    }

    /// <summary>Every board, by id, with the entry counts of all of them read in one round trip.</summary>
    public async Task<IReadOnlyList<BoardResponse>> ListAsync(CancellationToken cancellationToken) =>
        await DescribeAsync(await boards.ListAsync(cancellationToken));

    /// <summary>The board, or null when there is none.</summary>
    public async Task<BoardResponse?> GetAsync(string boardId, CancellationToken cancellationToken) =>
        await cache.GetAsync(boardId, cancellationToken) is { } board ? (await DescribeAsync([board]))[0] : null;

    /// <summary>The current period and every archived period that has scores, newest first; null when there is no such board.</summary>
    public async Task<IReadOnlyList<PeriodResponse>?> ListPeriodsAsync(string boardId, CancellationToken cancellationToken)
    {
        if (await cache.GetAsync(boardId, cancellationToken) is not { } board)
        {
            return null;
        }

        var current = periods.Current(board);
        var archived = (await boards.ListPeriodsAsync(boardId, cancellationToken)).Where(period => period.Id != current.Id);
        return [ToResponse(current, isCurrent: true), .. archived.Select(period => ToResponse(period, isCurrent: false))];
    }

    // The configuration is worth showing while an index is away: its count is null then.
    private async Task<BoardResponse[]> DescribeAsync(IReadOnlyList<Board> described)
    {
        var current = described.Select(periods.Current).ToArray();
        var counts = await reader.CountsAsync([.. described.Select((board, i) => new LeaderboardReader.Target(board, current[i].Id))]);
        return [.. described.Select((board, i) => new BoardResponse(
            board.BoardId, board.SortOrder, board.Operator, board.ResetSchedule, board.MinScore, board.MaxScore, board.Metadata, board.CreatedAt,
            ToResponse(current[i], isCurrent: true), counts[i]))];
    }

    private static PeriodResponse ToResponse(Period period, bool isCurrent) => new(period.Id, period.StartsAt, period.EndsAt, isCurrent);
}
