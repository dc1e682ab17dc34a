using System.Text.Json;
using Leaderboard.Api.Data;
using Leaderboard.Api.Model;
using Leaderboard.Api.Ranking;

namespace Leaderboard.Api.Boards;

/// <summary>
/// Boards: create or update one, delete one with its scores and index, rebuild its index, and
/// describe boards and their periods. PostgreSQL holds the boards; the index adds only the
/// entry count, which is left out while the index is away.
/// </summary>
internal sealed class BoardService(
    BoardStore boards,
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
        return outcome switch
        {
            BoardStore.SaveOutcome.Conflict => new SaveBoardOutcome.RulesConflict(board),
            BoardStore.SaveOutcome.Created => new SaveBoardOutcome.Created(await DescribeAsync(board, cancellationToken)),
            _ => new SaveBoardOutcome.Updated(await DescribeAsync(board, cancellationToken)),
        };
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
        if (await boards.GetAsync(boardId, cancellationToken) is not { } board)
        {
            return IndexRebuildOutcome.BoardNotFound;
        }

        return await maintenance.RebuildAsync(board, periods.Current(board).Id, cancellationToken)
            ? IndexRebuildOutcome.Rebuilt
            : IndexRebuildOutcome.AlreadyRebuilding;
    }

    /// <summary>Every board, by id.</summary>
    public async Task<IReadOnlyList<BoardResponse>> ListAsync(CancellationToken cancellationToken)
    {
        var all = await boards.ListAsync(cancellationToken);
        var described = new List<BoardResponse>(all.Count);
        foreach (var board in all)
        {
            described.Add(await DescribeAsync(board, cancellationToken));
        }

        return described;
    }

    /// <summary>The board, or null when there is none.</summary>
    public async Task<BoardResponse?> GetAsync(string boardId, CancellationToken cancellationToken) =>
        await boards.GetAsync(boardId, cancellationToken) is { } board ? await DescribeAsync(board, cancellationToken) : null;

    /// <summary>The current period and every archived period that has scores, newest first; null when there is no such board.</summary>
    public async Task<IReadOnlyList<PeriodResponse>?> ListPeriodsAsync(string boardId, CancellationToken cancellationToken)
    {
        if (await boards.GetAsync(boardId, cancellationToken) is not { } board)
        {
            return null;
        }

        var current = periods.Current(board);
        var archived = (await boards.ListPeriodsAsync(boardId, cancellationToken)).Where(period => period.Id != current.Id);
        return [ToResponse(current, isCurrent: true), .. archived.Select(period => ToResponse(period, isCurrent: false))];
    }

    private async Task<BoardResponse> DescribeAsync(Board board, CancellationToken cancellationToken)
    {
        var current = periods.Current(board);
        long? count;
        try
        {
            count = await reader.CountAsync(new LeaderboardReader.Target(board, current.Id), cancellationToken);
        }
        catch (IndexUnavailableException)
        {
            count = null; // the configuration is still worth showing while the index is away
        }

        return new BoardResponse(board.BoardId, board.SortOrder, board.Operator, board.ResetSchedule, board.MinScore, board.MaxScore, board.Metadata, board.CreatedAt, ToResponse(current, isCurrent: true), count);
    }

    private static PeriodResponse ToResponse(Period period, bool isCurrent) => new(period.Id, period.StartsAt, period.EndsAt, isCurrent);
}
