using System.Net;
using System.Net.Http.Json;
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

        await using var live = await LivePage.OpenAsync(stack.App, board);
        var page = live.Page;
        await Assertions.Expect(page.Locator("#entries tr[data-player='alice']")).ToBeVisibleAsync();

        Assert.Equal(HttpStatusCode.OK, (await server.PutAsJsonAsync($"/api/leaderboards/{board}/scores/bob", new { score = 20 }, cancellation)).StatusCode);

        var firstRow = page.Locator("#entries tr").First;
        await Assertions.Expect(firstRow).ToHaveAttributeAsync("data-player", "bob", new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("#entries tr")).ToHaveCountAsync(2);
        Assert.Equal(1, live.Loads);
    }

    [Fact]
    public async Task TheBoardsStatsAndItsLatestRecapShowOnThePageAndMoveWithoutReload()
    {
        var board = await StackAppHost.CreateBoardAsync(stack.App, "stats-page");
        using var server = StackAppHost.ApiClient(stack.App, StackAppHost.ServerKey);
        var cancellation = TestContext.Current.CancellationToken;
        foreach (var (player, score) in new[] { ("alice", 10), ("bob", 20) })
        {
            Assert.Equal(HttpStatusCode.OK, (await server.PutAsJsonAsync($"/api/leaderboards/{board}/scores/{player}", new { score }, cancellation)).StatusCode);
        }

        await using var live = await LivePage.OpenAsync(stack.App, board);
        var page = live.Page;
        var patience = new LocatorAssertionsToHaveTextOptions { Timeout = 30_000 };
        await Assertions.Expect(page.Locator("[data-stat=entries]")).ToHaveTextAsync("2", patience);
        await Assertions.Expect(page.Locator("#new-leaders li")).ToHaveTextAsync(["alice with 10", "bob with 20"], new() { Timeout = 30_000 });

        Assert.Equal(HttpStatusCode.OK, (await server.PutAsJsonAsync($"/api/leaderboards/{board}/scores/carol", new { score = 30 }, cancellation)).StatusCode);

        // The worker's stats, then the recap its model wrote of them, on the page that never reloaded.
        await Assertions.Expect(page.Locator("[data-stat=entries]")).ToHaveTextAsync("3", patience);
        await Assertions.Expect(page.Locator("[data-stat=maxScore]")).ToHaveTextAsync("30", patience);
        await Assertions.Expect(page.Locator("[data-stat=minScore]")).ToHaveTextAsync("10", patience);
        await Assertions.Expect(page.Locator("[data-stat=meanScore]")).ToHaveTextAsync("20", patience);
        await Assertions.Expect(page.Locator("#histogram li")).ToHaveTextAsync(["10–19: 1", "20–49: 2"], new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("#new-leaders li").Last).ToHaveTextAsync("carol with 30", patience);
        await Assertions.Expect(page.Locator("#recap-headline")).ToHaveTextAsync(RecapModelServer.HeadlineOf("carol", 30), patience);
        await Assertions.Expect(page.Locator("#recap")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#recap-highlights li")).ToHaveTextAsync(["3 players so far."], new() { Timeout = 30_000 });
        Assert.Equal(1, live.Loads);
    }
}
