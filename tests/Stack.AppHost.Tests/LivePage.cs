using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Microsoft.Playwright;

namespace Stack.AppHost.Tests;

/// <summary>The live page of one board, open in Debian's Chromium, counting its loads: a page that never reloads counts 1.</summary>
internal sealed class LivePage : IAsyncDisposable
{
    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;
    private int _loads;

    private LivePage(IPlaywright playwright, IBrowser browser, IPage page)
    {
        _playwright = playwright;
        _browser = browser;
        Page = page;
        Page.Load += (_, _) => Interlocked.Increment(ref _loads);
    }

    public IPage Page { get; }

    public int Loads => Volatile.Read(ref _loads);

    public static async Task<LivePage> OpenAsync(DistributedApplication app, string board)
    {
        var (playwright, browser) = await Chromium.LaunchAsync();
        var live = new LivePage(playwright, browser, await browser.NewPageAsync());
        await live.Page.GotoAsync($"{app.GetEndpoint("leaderboard-api", "http")}?board={board}");
        return live;
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
