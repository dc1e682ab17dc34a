using Leaderboard.Api.Model;
using Leaderboard.Api.Scoring;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Leaderboard.Api.Http;

/// <summary>Score writes (server key) and player moderation (admin key).</summary>
public static class ScoresApi
{
    private const int MaxScoreMetadataBytes = 2 * 1024;
    private const int MaxIdempotencyKeyLength = 128;

    public static RouteGroupBuilder MapScoresApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);

        var writes = app.MapGroup("/api/leaderboards/{boardId}/scores").WithTags("Scores").RequireApiKey(ApiKeyRole.Server).RequireStorableText();
        writes.MapPut("/{playerId}", SubmitScore)
            .WithName("SubmitScore")
            .WithSummary("Submit a player's score; the board's operator decides how it combines with the stored record.");

        var moderation = app.MapGroup("/api/leaderboards/{boardId}/scores").WithTags("Scores").RequireApiKey(ApiKeyRole.Admin).RequireStorableText();
        moderation.MapDelete("/{playerId}", DeletePlayer)
            .WithName("DeletePlayerScores")
            .WithSummary("Remove a player's records from every period of the board (moderation, erasure requests).");

        return writes;
    }

    internal static async Task<Results<Ok<SubmitScoreResponse>, ValidationProblem, ProblemHttpResult>> SubmitScore(
        string boardId,
        string playerId,
        ScoreSubmission? submission,
        [FromHeader(Name = StorableTextFilter.IdempotencyKeyHeader)] string? idempotencyKey,
        ScoreService scores,
        CancellationToken cancellationToken)
    {
        var validation = new RequestValidation();
        validation.Id("boardId", boardId);
        validation.Id("playerId", playerId);
        var score = validation.Integer("score", submission?.Score);
        var subscore = validation.Integer("subscore", submission?.Subscore, fallback: 0);
        var metadata = validation.Metadata(submission?.Metadata, MaxScoreMetadataBytes);
        if (idempotencyKey is { Length: 0 or > MaxIdempotencyKeyLength })
        {
            validation.Fail("Idempotency-Key", $"Idempotency-Key must be 1 to {MaxIdempotencyKeyLength} characters.");
        }

        if (!validation.IsValid)
        {
            return TypedResults.ValidationProblem(validation.Errors);
        }

        var outcome = await scores.SubmitAsync(boardId, new SubmittedScore(playerId, score, subscore, metadata), idempotencyKey, cancellationToken);
        return outcome switch
        {
            SubmitOutcome.Accepted accepted => TypedResults.Ok(accepted.Response),
            SubmitOutcome.BoardNotFound => BoardsApi.BoardNotFound(boardId),
            SubmitOutcome.Rejected rejected => TypedResults.ValidationProblem(new Dictionary<string, string[]> { [rejected.Field] = [rejected.Message] }),
            SubmitOutcome.KeyReused => TypedResults.Problem(
                statusCode: StatusCodes.Status422UnprocessableEntity,
                title: "Idempotency-Key reused",
                detail: "This Idempotency-Key was already used with a different request; nothing was applied."),
            _ => throw new InvalidOperationException($"Unhandled outcome {outcome}."),
        };
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> DeletePlayer(string boardId, string playerId, ScoreService scores, CancellationToken cancellationToken) =>
        await scores.DeletePlayerAsync(boardId, playerId, cancellationToken) ? TypedResults.NoContent() : BoardsApi.BoardNotFound(boardId);
}
