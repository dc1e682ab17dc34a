using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;

namespace Stack.AppHost.Tests;

[Collection(AppHostCollection.Name)]
public sealed class LiveAcrossReplicasTests(RunningStackFixture stack)
{
    private const int MaxConnections = 12;

    [Fact]
    public async Task AScoreReachesLiveWatchersOnBothReplicasWithinOneSecond()
    {
        var board = await StackAppHost.CreateBoardAsync(stack.App, "live");
        using var reader = StackAppHost.ApiClient(stack.App);
        var streams = new List<LiveStream>();
        try
        {
            // The AppHost's endpoint balances connections over the two replicas; open streams until both hold one.
            while (streams.Select(stream => stream.ServedBy).Distinct().Count() < 2 && streams.Count < MaxConnections)
            {
                var stream = await LiveStream.OpenAsync(reader, board);
                await stream.NextAsync();
                streams.Add(stream);
            }

            Assert.Equal(2, streams.Select(stream => stream.ServedBy).Distinct().Count());

            using var server = StackAppHost.ApiClient(stack.App, StackAppHost.ServerKey);
            var clock = Stopwatch.StartNew();
            var submitted = await server.PutAsJsonAsync($"/api/leaderboards/{board}/scores/alice", new { score = 42 }, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, submitted.StatusCode);

            var updates = await Task.WhenAll(streams.Select(stream => stream.NextAsync()));
            clock.Stop();

            Assert.All(updates, update => Assert.Equal("alice", update.GetProperty("entries")[0].GetProperty("playerId").GetString()));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"the last watcher heard of the score after {clock.Elapsed}");
        }
        finally
        {
            foreach (var stream in streams)
            {
                await stream.DisposeAsync();
            }
        }
    }
}
