using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;

namespace Leaderboard.Api.Tests;

public sealed class LiveTests(DataStoresFixture stores) : IClassFixture<DataStoresFixture>
{
    // The README's promise: at most 10 events a second per board. Events leave at least a tenth of
    // a second apart, so a window of this length holds at most 10 per second of it, plus one at its edge.
    private const int EventsPerSecond = 10;
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(3);
    private static readonly int EventsAllowedInWindow = (int)(Window.TotalSeconds * EventsPerSecond) + 1;

    // Without coalescing, each change could be an event: the window must see several times more
    // changes than it may see events, or the count could not tell coalescing from none.
    private static readonly int ChangesNeededInWindow = 3 * EventsAllowedInWindow;

    private const int Writers = 8;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly LeaderboardClient _api = new(stores);

    [Fact]
    public async Task TheLiveStreamSendsTheTopAtOnceThenTheNewTopAfterAChange()
    {
        var board = await _api.CreateBoardAsync();
        await _api.SubmitAsync(board, "alice", 10);
        await using var stream = await LiveStream.OpenAsync(stores.Client(), board);

        var initial = await stream.NextAsync();
        await _api.SubmitAsync(board, "bob", 20);
        var changed = await stream.NextAsync();

        Assert.Equal(["alice"], LeaderboardClient.Players(initial.GetProperty("entries").EnumerateArray()));
        Assert.Equal(["bob", "alice"], LeaderboardClient.Players(changed.GetProperty("entries").EnumerateArray()));
    }

    [Fact]
    public async Task UnderAContinuousStreamOfChangesABoardSendsAtMostTenEventsASecondAndEndsOnTheLatestTop()
    {
        // No score before the stream opens: every event after the first comes from a change made in the window.
        var board = await _api.CreateBoardAsync(new { @operator = "increment" });
        await using var stream = await LiveStream.OpenAsync(stores.Client(), board);
        Assert.Empty((await stream.NextAsync()).GetProperty("entries").EnumerateArray());

        var received = new ConcurrentQueue<(TimeSpan At, long Score)>();
        var finalScore = long.MaxValue;
        var clock = Stopwatch.StartNew();
        var reader = Task.Run(async () =>
        {
            while (true)
            {
                var top = (await stream.NextAsync()).GetProperty("entries").EnumerateArray().Single().GetProperty("score").GetInt64();
                received.Enqueue((clock.Elapsed, top));
                if (top == Interlocked.Read(ref finalScore))
                {
                    return;
                }
            }
        }, LeaderboardClient.Cancellation);

        // Writers change the top as fast as they can, each change +1, until the window closes.
        var changesInWindow = 0L;
        var changes = 0L;
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(_ => Task.Run(async () =>
        {
            while (clock.Elapsed < Window)
            {
                await _api.SubmitAsync(board, "alice", 1);
                Interlocked.Increment(ref changes);
                if (clock.Elapsed <= Window)
                {
                    Interlocked.Increment(ref changesInWindow);
                }
            }
        }, LeaderboardClient.Cancellation))).WaitAsync(Patience, LeaderboardClient.Cancellation);

        // One last change, made once the reader knows the score it ends on: the stream must get there.
        var total = Interlocked.Read(ref changes) + 1;
        Interlocked.Exchange(ref finalScore, total);
        await _api.SubmitAsync(board, "alice", 1);
        await reader.WaitAsync(Patience, LeaderboardClient.Cancellation);

        Assert.True(
            changesInWindow >= ChangesNeededInWindow,
            $"Only {changesInWindow} changes in {Window.TotalSeconds} s (at least {ChangesNeededInWindow} needed): too few to tell coalescing from none.");
        var eventsInWindow = received.Count(update => update.At <= Window);
        TestContext.Current.TestOutputHelper?.WriteLine($"{changesInWindow} changes and {eventsInWindow} events in {Window.TotalSeconds} s.");
        Assert.True(
            eventsInWindow <= EventsAllowedInWindow,
            $"{eventsInWindow} events in {Window.TotalSeconds} s while {changesInWindow} changes were made; at most {EventsAllowedInWindow} allowed.");
        Assert.Equal(total, received.Last().Score);
    }

    [Fact]
    public async Task LiveOnAnUnknownBoardIs404()
    {
        var response = await _api.Public.GetAsync($"/api/leaderboards/{LeaderboardClient.NewBoardId()}/live", LeaderboardClient.Cancellation);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
