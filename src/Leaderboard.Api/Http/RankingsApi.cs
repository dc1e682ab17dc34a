using Leaderboard.Api.Model;
using Leaderboard.Api.Ranking;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Leaderboard.Api.Http;

/// <summary>Public reads of ranked entries; each takes <c>period</c> to read an archived period.</summary>
public static class RankingsApi
{
    private const int MaxPageSize = 100;
    private const int MaxRadius = 50;
    private const int MaxQueriedPlayers = 100;

    public static RouteGroupBuilder MapRankingsApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);

        var reads = app.MapGroup("/api/leaderboards/{boardId}").WithTags("Rankings").RequireStorableText();
        reads.MapGet("/top", GetTop).WithName("GetTop").WithSummary("A page of the board, best first; follow nextCursor for the next page.");
        reads.MapGet("/players/{playerId}", GetPlayer).WithName("GetPlayer").WithSummary("A player's entry.");
        reads.MapGet("/players/{playerId}/around", GetAround).WithName("GetAround").WithSummary("The entries ranked radius above and below a player, the player included.");
        reads.MapPost("/players/query", QueryPlayers).WithName("QueryPlayers").WithSummary("The entries of up to 100 players (a friends board), sorted by rank.");
        // A stream lasts as long as its watcher: not a request latency. leaderboard.live.watchers counts them.
        reads.MapGet("/live", GetLive).WithName("GetLive").WithSummary("Server-Sent Events: the current top 10 at once, then a new snapshot whenever it changes (at most 10 a second).").DisableHttpMetrics();
        return reads;
    }

    internal static async Task<Results<Ok<TopScoresResponse>, ValidationProblem, ProblemHttpResult>> GetTop(
        string boardId, int? limit, string? cursor, string? period, LeaderboardReader reader, CancellationToken cancellationToken)
    {
        var validation = new RequestValidation();
        var take = validation.Bounded("limit", limit, fallback: 10, min: 1, max: MaxPageSize);
        if (!validation.IsValid)
        {
            return TypedResults.ValidationProblem(validation.Errors);
        }

        var (target, missing) = await reader.ResolveAsync(boardId, period, cancellationToken);
        if (target is null)
        {
            return NotFound(boardId, period, missing);
        }

        PagePosition? after = null;
        if (cursor is not null && !PageCursor.TryDecode(cursor, target.Keys, out after))
        {
            validation.Fail("cursor", "cursor is not one this board and period handed out.");
            return TypedResults.ValidationProblem(validation.Errors);
        }

        if (await reader.PageAsync(target, take, after, cancellationToken) is not { } page)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status410Gone,
                title: "Cursor expired",
                detail: "The board changed too much since this paging began (or its index was rebuilt); start again from the first page.");
        }

        var next = page.Entries.Count == take && page.Last is { } last ? PageCursor.Encode(target.Keys, last) : null;
        return TypedResults.Ok(new TopScoresResponse(page.Entries, next));
    }

    internal static async Task<Results<Ok<ScoreEntry>, ProblemHttpResult>> GetPlayer(
        string boardId, string playerId, string? period, LeaderboardReader reader, CancellationToken cancellationToken)
    {
        var (target, missing) = await reader.ResolveAsync(boardId, period, cancellationToken);
        if (target is null)
        {
            return NotFound(boardId, period, missing);
        }

        return await reader.PlayerAsync(target, playerId, cancellationToken) is { } entry
            ? TypedResults.Ok(entry)
            : PlayerNotFound(boardId, playerId);
    }

    internal static async Task<Results<Ok<EntriesResponse>, ValidationProblem, ProblemHttpResult>> GetAround(
        string boardId, string playerId, int? radius, string? period, LeaderboardReader reader, CancellationToken cancellationToken)
    {
        var validation = new RequestValidation();
        var span = validation.Bounded("radius", radius, fallback: 5, min: 1, max: MaxRadius);
        if (!validation.IsValid)
        {
            return TypedResults.ValidationProblem(validation.Errors);
        }

        var (target, missing) = await reader.ResolveAsync(boardId, period, cancellationToken);
        if (target is null)
        {
            return NotFound(boardId, period, missing);
        }

        var entries = await reader.AroundAsync(target, playerId, span, cancellationToken);
        return entries.Count == 0 ? PlayerNotFound(boardId, playerId) : TypedResults.Ok(new EntriesResponse(entries));
    }

    internal static async Task<Results<Ok<EntriesResponse>, ValidationProblem, ProblemHttpResult>> QueryPlayers(
        string boardId, PlayersQuery? query, string? period, LeaderboardReader reader, CancellationToken cancellationToken)
    {
        var validation = new RequestValidation();
        var playerIds = query?.PlayerIds ?? [];
        if (query?.PlayerIds is null)
        {
            validation.Fail("playerIds", "playerIds is required: a list of player ids.");
        }
        else if (playerIds.Count > MaxQueriedPlayers)
        {
            validation.Fail("playerIds", $"playerIds may hold at most {MaxQueriedPlayers} ids.");
        }
        else if (playerIds.Any(id => !Identifiers.IsValid(id)))
        {
            validation.Fail("playerIds", $"every player id must be 1 to {Identifiers.MaxLength} characters of letters, digits, '_', '.', ':' or '-'.");
        }

        if (!validation.IsValid)
        {
            return TypedResults.ValidationProblem(validation.Errors);
        }

        var (target, missing) = await reader.ResolveAsync(boardId, period, cancellationToken);
        return target is null
            ? NotFound(boardId, period, missing)
            : TypedResults.Ok(new EntriesResponse(await reader.QueryAsync(target, playerIds, cancellationToken)));
    }

    internal static async Task<Results<ServerSentEventsResult<LiveSnapshot>, ProblemHttpResult>> GetLive(
        string boardId, LiveBoards live, HttpContext context, CancellationToken cancellationToken)
    {
        if (await live.WatchAsync(boardId, cancellationToken) is not { } snapshots)
        {
            return BoardsApi.BoardNotFound(boardId);
        }

        // Names the replica that holds this stream: watchers on different replicas prove the fan-out.
        context.Response.Headers["X-Served-By"] = ReplicaName;
        return TypedResults.ServerSentEvents(snapshots, eventType: "top");
    }

    private static readonly string ReplicaName = $"{Environment.MachineName}/{Environment.ProcessId}";

    private static ProblemHttpResult NotFound(string boardId, string? period, string? missing) => missing == "period"
        ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Period not found", detail: $"Board '{boardId}' has no period '{period}'.")
        : BoardsApi.BoardNotFound(boardId);

    private static ProblemHttpResult PlayerNotFound(string boardId, string playerId) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Player not ranked", detail: $"Player '{playerId}' has no entry on board '{boardId}' in this period.");
}
