using System.Net;
using System.Net.Http.Json;

namespace Stack.AppHost.Tests;

[Collection(AppHostCollection.Name)]
public sealed class LiveAcrossReplicasTests(RunningStackFixture stack)
{
    private const int MaxConnections = 12;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task AScoreReachesLiveWatchersOnBothReplicas()
    {
        var board = await StackAppHost.CreateBoardAsync(stack.App, "live");
        using var reader = StackAppHost.ApiClient(stack.App);
        var streams = new List<LiveStream>();
        try
        {
            // The AppHost's endpoint balances connections over the two replicas; open streams until both hold one.
            while (streams.Select(stream => stream.ServedBy).Distinct().Count() < 2 && streams.Count < MaxConnections)
            {
                var stream = await LiveStream.OpenAsync(reader, board).WaitAsync(Patience, TestContext.Current.CancellationToken);
                await stream.NextAsync();
                streams.Add(stream);
            }

            Assert.Equal(2, streams.Select(stream => stream.ServedBy).Distinct().Count());

            using var server = StackAppHost.ApiClient(stack.App, StackAppHost.ServerKey);
            var submitted = await server.PutAsJsonAsync($"/api/leaderboards/{board}/scores/alice", new { score = 42 }, TestContext.Current.CancellationToken).WaitAsync(Patience, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, submitted.StatusCode);

            // Each watcher's next event, on either replica, within the stream's deadline.
            var updates = await Task.WhenAll(streams.Select(stream => stream.NextAsync())).WaitAsync(Patience, TestContext.Current.CancellationToken);

            Assert.All(updates, update => Assert.Equal("alice", update.GetProperty("entries")[0].GetProperty("playerId").GetString()));
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
