using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting;

/// <summary>A dashboard command on the leaderboard API: rebuild every board's ranking index from PostgreSQL.</summary>
public static class RebuildIndexesCommandExtensions
{
    /// <summary>Name of the command, for <c>ResourceCommandService</c> and the CLI.</summary>
    public const string CommandName = "rebuild-indexes";

    /// <summary>
    /// Adds "Rebuild ranking indexes": lists the boards and asks the API to rebuild each one's
    /// current index, with the admin key. Useful after restoring PostgreSQL or moving Redis.
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
            context => RebuildAllAsync(api.Resource.GetEndpoint("http"), adminKey.Resource, context.CancellationToken),
            new CommandOptions
            {
                Description = "Rebuild every board's Redis ranking index from PostgreSQL.",
                IconName = "ArrowSync",
                UpdateState = context => context.ResourceSnapshot.HealthStatus is Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy
                    ? ResourceCommandState.Enabled
                    : ResourceCommandState.Disabled,
            });
    }

    private static async Task<ExecuteCommandResult> RebuildAllAsync(EndpointReference endpoint, ParameterResource adminKey, CancellationToken cancellationToken)
    {
        using var client = new HttpClient { BaseAddress = new Uri(endpoint.Url) };
        client.DefaultRequestHeaders.Add("X-Api-Key", await adminKey.GetValueAsync(cancellationToken));

        using var boards = await client.GetFromJsonAsync<JsonDocument>("/api/leaderboards", cancellationToken);
        var boardIds = boards!.RootElement.EnumerateArray().Select(board => board.GetProperty("boardId").GetString()!).ToList();

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
