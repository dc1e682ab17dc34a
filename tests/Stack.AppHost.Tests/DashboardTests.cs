using Microsoft.Playwright;

namespace Stack.AppHost.Tests;

[Collection(AppHostCollection.Name)]
public sealed class DashboardTests(RunningStackFixture stack)
{
    private const string BlazorCircuitError = "An unhandled error has occurred.";
    private const int MaxLoads = 3;

    [Fact]
    public async Task DashboardListsEveryResourceAsRunningAndHealthyAndThePolicyGateAsPassed()
    {
        Assert.True(stack.App.ResourceNotifications.TryGetCurrentState("aspire-dashboard", out var dashboard), "the dashboard is not running");
        // The dashboard resource also lists its OTLP endpoints; the browser wants the frontend, named "http".
        var dashboardUrl = dashboard.Snapshot.Urls.Single(url => url.Name == "http").Url;
        var (playwright, browser) = await Chromium.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;

        var page = await browser.NewPageAsync();
        for (var load = 1; ; load++)
        {
            await page.GotoAsync(dashboardUrl);
            try
            {
                await ExpectEveryResourceAsync(page);
                return;
            }
            catch (PlaywrightException)
            {
                // Aspire's dashboard sometimes loses its Blazor circuit on first render (an
                // ObjectDisposedException in Virtualize's JS interop, in its own log): a user reloads.
                if (load < MaxLoads && await page.GetByText(BlazorCircuitError).IsVisibleAsync())
                {
                    continue;
                }

                await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "stack-dashboard-failure.png"), FullPage = true });
                throw;
            }
        }
    }

    private static async Task ExpectEveryResourceAsync(IPage page)
    {
        foreach (var resource in new[] { "cache", "postgres", "leaderboard-api" })
        {
            var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = resource }).First;
            await Assertions.Expect(row).ToContainTextAsync("Running", new() { Timeout = 30_000 });

            // The dashboard marks a running resource whose checks fail as "Unhealthy".
            await Assertions.Expect(row).Not.ToContainTextAsync("Unhealthy");
        }

        // The deploy tooling sits in the same table: the policy gate shows its verdict on the committed overlays.
        var gate = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "policy-gate" }).First;
        await Assertions.Expect(gate).ToContainTextAsync("Passed", new() { Timeout = 60_000 });
        await Assertions.Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "gitops" }).First).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "payments-db" }).First).ToContainTextAsync("External");
    }
}
