using System.Net;
using System.Net.Http.Json;
using Aspire.Hosting.Testing;
using Microsoft.Playwright;

namespace Stack.AppHost.Tests;

[Collection(AppHostCollection.Name)]
public sealed class LivePageTests(RunningStackFixture stack)
{
    [Fact]
    public async Task AScoreSubmittedThroughTheApiAppearsOnThePageWithoutReload()
    {
        var board = await StackAppHost.CreateBoardAsync(stack.App, "page");
        using var server = StackAppHost.ApiClient(stack.App, StackAppHost.ServerKey);
        var cancellation = TestContext.Current.CancellationToken;
        Assert.Equal(HttpStatusCode.OK, (await server.PutAsJsonAsync($"/api/leaderboards/{board}/scores/alice", new { score = 10 }, cancellation)).StatusCode);

        var (playwright, browser) = await Chromium.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync();
        var loads = 0;
        page.Load += (_, _) => loads++;

        await page.GotoAsync($"{stack.App.GetEndpoint("leaderboard-api", "http")}?board={board}");
        await Assertions.Expect(page.Locator("#entries tr[data-player='alice']")).ToBeVisibleAsync();

        Assert.Equal(HttpStatusCode.OK, (await server.PutAsJsonAsync($"/api/leaderboards/{board}/scores/bob", new { score = 20 }, cancellation)).StatusCode);

        var firstRow = page.Locator("#entries tr").First;
        await Assertions.Expect(firstRow).ToHaveAttributeAsync("data-player", "bob", new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("#entries tr")).ToHaveCountAsync(2);
        Assert.Equal(1, loads);
    }
}
