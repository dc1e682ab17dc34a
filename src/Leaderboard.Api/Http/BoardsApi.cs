using Leaderboard.Api.Boards;
using Leaderboard.Api.Model;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Leaderboard.Api.Http;

/// <summary>Board administration (admin key) and board reads (public).</summary>
public static class BoardsApi
{
    private const int MaxBoardMetadataBytes = 8 * 1024;

    public static RouteGroupBuilder MapBoardsApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);

        var admin = app.MapGroup("/api/leaderboards").WithTags("Boards").RequireApiKey(ApiKeyRole.Admin).RequireStorableText();
        admin.MapPut("/{boardId}", PutBoard).WithName("PutBoard").WithSummary("Create a board (201), or update its schedule, bounds and metadata (200).");
        admin.MapDelete("/{boardId}", DeleteBoard).WithName("DeleteBoard").WithSummary("Delete a board with all its periods and scores.");
        admin.MapPost("/{boardId}/index/rebuild", RebuildIndex).WithName("RebuildIndex").WithSummary("Rebuild the board's current ranking index from PostgreSQL.");

        var reads = app.MapGroup("/api/leaderboards").WithTags("Boards").RequireStorableText();
        reads.MapGet("/", ListBoards).WithName("ListBoards").WithSummary("All boards.");
        reads.MapGet("/{boardId}", GetBoard).WithName("GetBoard").WithSummary("A board: configuration, current period and entry count.");
        reads.MapGet("/{boardId}/periods", GetPeriods).WithName("GetPeriods").WithSummary("The board's current and archived periods, newest first.");
        return reads;
    }

    internal static async Task<Results<Created<BoardResponse>, Ok<BoardResponse>, ValidationProblem, ProblemHttpResult>> PutBoard(
        string boardId, BoardDefinition? definition, BoardService boards, CancellationToken cancellationToken)
    {
        var validation = new RequestValidation();
        validation.Id("boardId", boardId);
        definition ??= new BoardDefinition(null, null, null, null, null, null);
        // Checked as text first: Cronos reads past a NUL, which PostgreSQL would then refuse.
        validation.Text("resetSchedule", definition.ResetSchedule);
        if (definition.ResetSchedule is { } schedule && StorableText.IsStorable(schedule) && !BoardPeriods.IsValidSchedule(schedule, out var scheduleError))
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

        validation.Metadata(definition.Metadata, MaxBoardMetadataBytes);
        if (!validation.IsValid)
        {
            return TypedResults.ValidationProblem(validation.Errors);
        }

        return await boards.SaveAsync(boardId, definition, cancellationToken) switch
        {
            SaveBoardOutcome.Created created => TypedResults.Created($"/api/leaderboards/{boardId}", created.Board),
            SaveBoardOutcome.Updated updated => TypedResults.Ok(updated.Board),
            SaveBoardOutcome.RulesConflict { Existing: var board } => TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "Board rules cannot change",
                detail: $"Board '{boardId}' ranks {board.SortOrder.ToString().ToLowerInvariant()} with operator '{board.Operator.ToString().ToLowerInvariant()}'; its scores were ranked by those rules. Delete it and create a new board instead."),
            var outcome => throw new InvalidOperationException($"Unhandled outcome {outcome}."),
        };
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> DeleteBoard(string boardId, BoardService boards, CancellationToken cancellationToken) =>
        await boards.DeleteAsync(boardId, cancellationToken) ? TypedResults.NoContent() : BoardNotFound(boardId);

    internal static async Task<Results<Accepted, ProblemHttpResult>> RebuildIndex(string boardId, BoardService boards, CancellationToken cancellationToken) =>
        await boards.RebuildIndexAsync(boardId, cancellationToken) switch
        {
            IndexRebuildOutcome.Rebuilt => TypedResults.Accepted($"/api/leaderboards/{boardId}"),
            IndexRebuildOutcome.AlreadyRebuilding => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Rebuild in progress", detail: "Another replica is rebuilding this index."),
            _ => BoardNotFound(boardId),
        };

    internal static async Task<Ok<IReadOnlyList<BoardResponse>>> ListBoards(BoardService boards, CancellationToken cancellationToken) =>
        TypedResults.Ok(await boards.ListAsync(cancellationToken));

    internal static async Task<Results<Ok<BoardResponse>, ProblemHttpResult>> GetBoard(string boardId, BoardService boards, CancellationToken cancellationToken) =>
        await boards.GetAsync(boardId, cancellationToken) is { } board ? TypedResults.Ok(board) : BoardNotFound(boardId);

    internal static async Task<Results<Ok<IReadOnlyList<PeriodResponse>>, ProblemHttpResult>> GetPeriods(string boardId, BoardService boards, CancellationToken cancellationToken) =>
        await boards.ListPeriodsAsync(boardId, cancellationToken) is { } periods ? TypedResults.Ok(periods) : BoardNotFound(boardId);

    internal static ProblemHttpResult BoardNotFound(string boardId) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Board not found", detail: $"There is no board '{boardId}'.");
}
