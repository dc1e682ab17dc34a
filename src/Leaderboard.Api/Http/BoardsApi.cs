using System.Text.Json;
using Leaderboard.Api.Boards;
using Leaderboard.Api.Data;
using Leaderboard.Api.Model;
using Leaderboard.Api.Ranking;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Leaderboard.Api.Http;

/// <summary>Board administration (admin key) and board reads (public).</summary>
public static class BoardsApi
{
    private const int MaxBoardMetadataBytes = 8 * 1024;

    public static RouteGroupBuilder MapBoardsApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);

        var admin = app.MapGroup("/api/leaderboards").WithTags("Boards").RequireApiKey(ApiKeyRole.Admin);
        admin.MapPut("/{boardId}", PutBoard).WithName("PutBoard").WithSummary("Create a board (201), or update its schedule, bounds and metadata (200).");
        admin.MapDelete("/{boardId}", DeleteBoard).WithName("DeleteBoard").WithSummary("Delete a board with all its periods and scores.");
        admin.MapPost("/{boardId}/index/rebuild", RebuildIndex).WithName("RebuildIndex").WithSummary("Rebuild the board's current ranking index from PostgreSQL.");

        var reads = app.MapGroup("/api/leaderboards").WithTags("Boards");
        reads.MapGet("/", ListBoards).WithName("ListBoards").WithSummary("All boards.");
        reads.MapGet("/{boardId}", GetBoard).WithName("GetBoard").WithSummary("A board: configuration, current period and entry count.");
        reads.MapGet("/{boardId}/periods", GetPeriods).WithName("GetPeriods").WithSummary("The board's current and archived periods, newest first.");
        return reads;
    }

    internal static async Task<Results<Created<BoardResponse>, Ok<BoardResponse>, ValidationProblem, ProblemHttpResult>> PutBoard(
        string boardId, BoardDefinition? definition, BoardStore boards, BoardPeriods periods, LeaderboardReader reader, TimeProvider clock, CancellationToken cancellationToken)
    {
        var validation = new RequestValidation();
        validation.Id("boardId", boardId);
        definition ??= new BoardDefinition(null, null, null, null, null, null);
        if (definition.ResetSchedule is { } schedule && !BoardPeriods.IsValidSchedule(schedule, out var scheduleError))
        {
            validation.Fail("resetSchedule", scheduleError!);
        }

        foreach (var (field, bound) in new[] { ("minScore", definition.MinScore), ("maxScore", definition.MaxScore) })
        {
            if (bound is { } value && !ScoreRange.Contains(value))
            {
                validation.Fail(field, $"{field} must be between {ScoreRange.Min} and {ScoreRange.Max}.");
            }
        }

        if (definition.MinScore > definition.MaxScore)
        {
            validation.Fail("minScore", "minScore must not exceed maxScore.");
        }

        var metadata = validation.Metadata(definition.Metadata, MaxBoardMetadataBytes);
        if (!validation.IsValid)
        {
            return TypedResults.ValidationProblem(validation.Errors);
        }

        var requested = new Board(
            boardId,
            definition.SortOrder ?? SortOrder.Descending,
            definition.Operator ?? ScoreOperator.Best,
            definition.ResetSchedule,
            definition.MinScore,
            definition.MaxScore,
            metadata ?? JsonDocument.Parse("{}").RootElement.Clone(),
            clock.GetUtcNow());
        var (outcome, board) = await boards.SaveAsync(requested, cancellationToken);
        return outcome switch
        {
            BoardStore.SaveOutcome.Conflict => TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "Board rules cannot change",
                detail: $"Board '{boardId}' ranks {board.SortOrder.ToString().ToLowerInvariant()} with operator '{board.Operator.ToString().ToLowerInvariant()}'; its scores were ranked by those rules. Delete it and create a new board instead."),
            BoardStore.SaveOutcome.Created => TypedResults.Created($"/api/leaderboards/{boardId}", await DescribeAsync(board, periods, reader, cancellationToken)),
            _ => TypedResults.Ok(await DescribeAsync(board, periods, reader, cancellationToken)),
        };
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> DeleteBoard(
        string boardId, BoardStore boards, BoardPeriods periods, RankingIndex index, CancellationToken cancellationToken)
    {
        if (await boards.GetAsync(boardId, cancellationToken) is not { } board)
        {
            return BoardNotFound(boardId);
        }

        var periodIds = (await boards.ListPeriodsAsync(boardId, cancellationToken)).Select(period => period.Id).Append(periods.Current(board).Id).Distinct();
        await boards.DeleteAsync(boardId, cancellationToken);
        try
        {
            foreach (var periodId in periodIds)
            {
                await index.DeleteAsync(new IndexKeys(boardId, periodId));
            }
        }
        catch (IndexUnavailableException)
        {
            // The board is gone from PostgreSQL, so no read reaches these keys; they are only unused memory.
        }

        return TypedResults.NoContent();
    }

    internal static async Task<Results<Accepted, ProblemHttpResult>> RebuildIndex(
        string boardId, BoardStore boards, BoardPeriods periods, IndexMaintenance maintenance, CancellationToken cancellationToken)
    {
        if (await boards.GetAsync(boardId, cancellationToken) is not { } board)
        {
            return BoardNotFound(boardId);
        }

        return await maintenance.RebuildAsync(board, periods.Current(board).Id, cancellationToken)
            ? TypedResults.Accepted($"/api/leaderboards/{boardId}")
            : TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Rebuild in progress", detail: "Another replica is rebuilding this index.");
    }

    internal static async Task<Ok<IReadOnlyList<BoardResponse>>> ListBoards(BoardStore boards, BoardPeriods periods, LeaderboardReader reader, CancellationToken cancellationToken)
    {
        var all = await boards.ListAsync(cancellationToken);
        var described = new List<BoardResponse>(all.Count);
        foreach (var board in all)
        {
            described.Add(await DescribeAsync(board, periods, reader, cancellationToken));
        }

        return TypedResults.Ok<IReadOnlyList<BoardResponse>>(described);
    }

    internal static async Task<Results<Ok<BoardResponse>, ProblemHttpResult>> GetBoard(
        string boardId, BoardStore boards, BoardPeriods periods, LeaderboardReader reader, CancellationToken cancellationToken) =>
        await boards.GetAsync(boardId, cancellationToken) is { } board
            ? TypedResults.Ok(await DescribeAsync(board, periods, reader, cancellationToken))
            : BoardNotFound(boardId);

    internal static async Task<Results<Ok<IReadOnlyList<PeriodResponse>>, ProblemHttpResult>> GetPeriods(
        string boardId, BoardStore boards, BoardPeriods periods, CancellationToken cancellationToken)
    {
        if (await boards.GetAsync(boardId, cancellationToken) is not { } board)
        {
            return BoardNotFound(boardId);
        }

        var current = periods.Current(board);
        var archived = (await boards.ListPeriodsAsync(boardId, cancellationToken)).Where(period => period.Id != current.Id);
        IReadOnlyList<PeriodResponse> all = [ToResponse(current, isCurrent: true), .. archived.Select(period => ToResponse(period, isCurrent: false))];
        return TypedResults.Ok(all);
    }

    internal static ProblemHttpResult BoardNotFound(string boardId) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Board not found", detail: $"There is no board '{boardId}'.");

    private static async Task<BoardResponse> DescribeAsync(Board board, BoardPeriods periods, LeaderboardReader reader, CancellationToken cancellationToken)
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
