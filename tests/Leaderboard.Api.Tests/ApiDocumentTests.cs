using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;

namespace Leaderboard.Api.Tests;

public sealed class ApiDocumentTests(DataStoresFixture stores) : IClassFixture<DataStoresFixture>
{
    [Fact]
    public async Task TheOpenApiDocumentDescribesEveryRoute()
    {
        var document = await stores.Client().GetFromJsonAsync<JsonElement>("/openapi/v1.json", LeaderboardClient.Cancellation);
        var paths = document.GetProperty("paths").EnumerateObject().Select(path => path.Name).ToHashSet();

        Assert.Superset(
            new HashSet<string>
            {
                "/api/leaderboards",
                "/api/leaderboards/{boardId}",
                "/api/leaderboards/{boardId}/periods",
                "/api/leaderboards/{boardId}/scores/{playerId}",
                "/api/leaderboards/{boardId}/top",
                "/api/leaderboards/{boardId}/players/{playerId}",
                "/api/leaderboards/{boardId}/players/{playerId}/around",
                "/api/leaderboards/{boardId}/players/query",
                "/api/leaderboards/{boardId}/live",
                "/api/leaderboards/{boardId}/stats",
                "/api/leaderboards/{boardId}/index/rebuild",
            },
            paths);
    }

    [Fact]
    public async Task TheInteractiveReferenceIsServedInDevelopmentOnly()
    {
        using var development = stores.Api.WithWebHostBuilder(web => web.UseEnvironment("Development")).CreateClient();

        var inDevelopment = await development.GetAsync("/scalar/v1", LeaderboardClient.Cancellation);
        var elsewhere = await stores.Client().GetAsync("/scalar/v1", LeaderboardClient.Cancellation);

        Assert.Equal(HttpStatusCode.OK, inDevelopment.StatusCode);
        Assert.Contains("text/html", inDevelopment.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, elsewhere.StatusCode);
    }

    [Fact]
    public async Task TheRootServesTheLivePage()
    {
        var page = await stores.Client().GetStringAsync("/", LeaderboardClient.Cancellation);

        Assert.Contains("<title>Live leaderboards</title>", page);
    }
}
