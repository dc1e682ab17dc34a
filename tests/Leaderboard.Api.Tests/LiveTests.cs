using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Leaderboard.Api.Tests;

public sealed class LiveTests(DataStoresFixture stores) : IClassFixture<DataStoresFixture>
{
    // The README's promise: at most 10 events a second per board, so events leave at least this far apart.
    private const int EventsPerSecond = 10;
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1) / EventsPerSecond;

    // Without coalescing, each change could be an event: ten changes per interval leave the
    // throttle a tenth of them at most, so the count tells coalescing from none.
    private static readonly TimeSpan Step = Interval / 10;
    private const int Changes = 100;

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
    public async Task HoweverFastTheTopChangesABoardSendsAtMostTenEventsPerSecondOfItsClockAndEndsOnTheLatestTop()
    {
        // The feed is paced by a clock this test holds: it moves only when the test moves it, so the
        // events are counted against seconds of that clock, however fast this machine makes changes.
        var feedClock = new FakeTimeProvider();
        await using var replica = stores.Api.WithWebHostBuilder(web => web.ConfigureTestServices(services =>
            services.AddKeyedSingleton<TimeProvider>(WallClock.Key, feedClock)));
        var started = feedClock.GetUtcNow();

        // No score before the stream opens: every event after the first comes from a change made here.
        var board = await _api.CreateBoardAsync(new { @operator = "increment" });
        await using var stream = await LiveStream.OpenAsync(replica.CreateClient(), board);
        Assert.Empty((await stream.NextAsync()).GetProperty("entries").EnumerateArray());

        var received = new ConcurrentQueue<long>();
        var reader = Task.Run(async () =>
        {
            while (true)
            {
                var top = (await stream.NextAsync()).GetProperty("entries").EnumerateArray().Single().GetProperty("score").GetInt64();
                received.Enqueue(top);
                if (top == Changes)
                {
                    return;
                }
            }
        }, LeaderboardClient.Cancellation);

        // Each change (+1) is followed by a tenth of the interval on the feed's clock: ten changes
        // for each event the throttle may send.
        for (var change = 0; change < Changes; change++)
        {
            await _api.SubmitAsync(board, "alice", 1);
            feedClock.Advance(Step);
        }

        // Every event after the first waited a whole interval of the feed's clock after the one
        // before, so no more left (nor were received) than that clock allows.
        var eventsDuringChanges = received.Count;
        var allowed = 1 + (int)((feedClock.GetUtcNow() - started) / Interval);
        TestContext.Current.TestOutputHelper?.WriteLine($"{Changes} changes, {eventsDuringChanges} events ({allowed} allowed).");
        Assert.True(
            eventsDuringChanges <= allowed,
            $"{eventsDuringChanges} events while {Changes} changes were made over {feedClock.GetUtcNow() - started} of the feed's clock; at most {allowed} allowed.");

        // The last change leaves once an interval has passed; the feed may have started its current
        // interval only now, so the clock moves on until the stream gets there.
        var deadline = DateTime.UtcNow + Patience;
        while (!reader.IsCompleted && DateTime.UtcNow < deadline)
        {
            feedClock.Advance(Interval);
            await Task.WhenAny(reader, Task.Delay(Interval, LeaderboardClient.Cancellation));
        }

        Assert.True(reader.IsCompletedSuccessfully, $"The stream never sent the latest top ({Changes}); its last event was {received.LastOrDefault()}.");
        Assert.Equal(Changes, received.Last());
    }

    [Fact]
    public async Task LiveOnAnUnknownBoardIs404()
    {
        var response = await _api.Public.GetAsync($"/api/leaderboards/{LeaderboardClient.NewBoardId()}/live", LeaderboardClient.Cancellation);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
