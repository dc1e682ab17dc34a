using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Aspire.Hosting;

/// <summary>
/// A dashboard command on the leaderboard API: rebuild every board's ranking index from PostgreSQL.
/// It lives with the AppHost, beside the resource it drives, because it speaks the leaderboard
/// API's own contract (its routes, <c>X-Api-Key</c> header and <c>boardId</c> field; see README).
/// </summary>
public static class RebuildIndexesCommandExtensions
{
    /// <summary>Name of the command, for <c>ResourceCommandService</c> and the CLI.</summary>
    public const string CommandName = "rebuild-indexes";

    /// <summary>Name of the command's optional argument: one board id (empty for every board).</summary>
    public const string BoardArgument = "board";

    /// <summary>
    /// Adds "Rebuild ranking indexes": asks the API, with the admin key, to rebuild the current
    /// index of one board (argument <c>board</c>) or of every board when it is left empty.
    /// Useful after restoring PostgreSQL or moving Redis.
    /// </summary>
    /// <param name="api">The leaderboard API resource.</param>
    /// <param name="adminKey">The parameter holding the API's admin key.</param>
    public static IResourceBuilder<ProjectResource> WithRebuildIndexesCommand(this IResourceBuilder<ProjectResource> api, IResourceBuilder<ParameterResource> adminKey)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(adminKey);

        return api.WithCommand(
            CommandName,
            "Rebuild ranking indexes",
            context => RebuildAsync(api.Resource.GetEndpoint("http"), adminKey.Resource, context.Arguments[BoardArgument]?.Value, context.CancellationToken),
            new CommandOptions
            {
                Description = "Rebuild a board's Redis ranking index (or every board's) from PostgreSQL.",
                Arguments =
                [
                    new InteractionInput
                    {
                        Name = BoardArgument,
                        Label = "Board id",
                        Description = "Leave empty to rebuild every board.",
                        InputType = InputType.Text,
                        Required = false,
                    },
                ],
                IconName = "ArrowSync",
                UpdateState = context => context.ResourceSnapshot.HealthStatus is Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy
                    ? ResourceCommandState.Enabled
                    : ResourceCommandState.Disabled,
            });
    }

    private static async Task<ExecuteCommandResult> RebuildAsync(EndpointReference endpoint, ParameterResource adminKey, string? board, CancellationToken cancellationToken)
    {
        using var client = new HttpClient { BaseAddress = new Uri(endpoint.Url) };
        client.DefaultRequestHeaders.Add("X-Api-Key", await adminKey.GetValueAsync(cancellationToken));

        List<string> boardIds;
        if (string.IsNullOrWhiteSpace(board))
        {
            using var boards = await client.GetFromJsonAsync<JsonDocument>("/api/leaderboards", cancellationToken);
            boardIds = [.. boards!.RootElement.EnumerateArray().Select(entry => entry.GetProperty("boardId").GetString()!)];
        }
        else
        {
            boardIds = [board.Trim()];
        }

        var failed = new List<string>();
        foreach (var boardId in boardIds)
        {
            using var response = await client.PostAsync($"/api/leaderboards/{Uri.EscapeDataString(boardId)}/index/rebuild", content: null, cancellationToken);
            // 409: another replica is rebuilding that board right now, which is what was asked.
            if (response.StatusCode is not (HttpStatusCode.Accepted or HttpStatusCode.Conflict))
            {
                failed.Add($"{boardId} ({(int)response.StatusCode})");
            }
        }

        return failed.Count == 0
            ? CommandResults.Success()
            : CommandResults.Failure($"Rebuilt {boardIds.Count - failed.Count} of {boardIds.Count} boards; failed: {string.Join(", ", failed)}.");
    }
}
