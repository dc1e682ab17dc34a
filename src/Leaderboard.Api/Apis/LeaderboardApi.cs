using System.Text.Json;
using Leaderboard.Api.Model;
using Leaderboard.Api.Services;
using Microsoft.AspNetCore.Http.HttpResults;
using StackExchange.Redis;

namespace Leaderboard.Api.Apis;

/// <summary>The game-facing leaderboard endpoints under <c>/api/leaderboards</c>.</summary>
public static class LeaderboardApi
{
    /// <summary>Largest magnitude a score may have: Redis ranks by IEEE doubles, exact only up to 2^53 - 1.</summary>
    public const long MaxScoreMagnitude = (1L << 53) - 1;

    private const int DefaultTopLimit = 10;
    private const int MaxTopLimit = 100;

    /// <summary>Maps the leaderboard endpoints and returns their group.</summary>
    public static RouteGroupBuilder MapLeaderboardApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);

        var api = app.MapGroup("/api/leaderboards").WithTags("Leaderboards");

        api.MapPut("/{boardId}/scores/{playerId}", SubmitScore)
            .WithName("SubmitScore")
            .WithSummary("Submit a player's score; the board keeps each player's best.");

        api.MapGet("/{boardId}/top", GetTop)
            .WithName("GetTopScores")
            .WithSummary("The best entries of a board, best first.");

        return api;
    }

    internal static async Task<Results<Ok<SubmitScoreResponse>, ValidationProblem>> SubmitScore(
        string boardId, string playerId, ScoreSubmission? submission, ScoreService scores, CancellationToken cancellationToken)
    {
        var errors = ValidateIds(boardId, playerId);
        var score = ReadScore(submission?.Score, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        return TypedResults.Ok(await scores.SubmitAsync(boardId, playerId, score, cancellationToken));
    }

    internal static async Task<Results<Ok<TopScoresResponse>, ValidationProblem, ProblemHttpResult>> GetTop(
        string boardId, ScoreService scores, int? limit)
    {
        var errors = ValidateIds(boardId, playerId: null);
        var take = limit ?? DefaultTopLimit;
        if (take is < 1 or > MaxTopLimit)
        {
            errors["limit"] = [$"limit must be between 1 and {MaxTopLimit}."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        try
        {
            return TypedResults.Ok(new TopScoresResponse(await scores.TopAsync(boardId, take)));
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            return TypedResults.Problem(
                title: "Ranking index unavailable",
                detail: "Scores are stored durably, but the ranking index cannot be read right now. Retry shortly.",
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    private static Dictionary<string, string[]> ValidateIds(string boardId, string? playerId)
    {
        var errors = new Dictionary<string, string[]>();
        if (!Identifiers.IsValid(boardId))
        {
            errors["boardId"] = [$"boardId must be 1 to {Identifiers.MaxLength} characters of letters, digits, '_', '.', ':' or '-'."];
        }

        if (playerId is not null && !Identifiers.IsValid(playerId))
        {
            errors["playerId"] = [$"playerId must be 1 to {Identifiers.MaxLength} characters of letters, digits, '_', '.', ':' or '-'."];
        }

        return errors;
    }

    private static long ReadScore(JsonElement? element, Dictionary<string, string[]> errors)
    {
        if (element is not { ValueKind: JsonValueKind.Number } number)
        {
            errors["score"] = ["score is required and must be a JSON integer."];
            return 0;
        }

        if (!number.TryGetInt64(out var score))
        {
            errors["score"] = ["score must be an integer (no fraction or exponent)."];
            return 0;
        }

        if (score is > MaxScoreMagnitude or < -MaxScoreMagnitude)
        {
            errors["score"] = [$"score must be between -{MaxScoreMagnitude} and {MaxScoreMagnitude}."];
            return 0;
        }

        return score;
    }
}
