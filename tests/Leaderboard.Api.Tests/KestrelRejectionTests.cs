using System.Net;
using System.Text;

namespace Leaderboard.Api.Tests;

/// <summary>
/// What Kestrel itself refuses before any middleware runs (so before anything could write a
/// ProblemDetails): a NUL in the request target, and header values that are not UTF-8 or hold a NUL. The client gets 400 with an empty body and the connection closed, and nothing is stored.
/// Header values that reach the API are checked by the API: <see cref="ValuesKestrelLetThroughAreCheckedByTheApi"/>.
/// </summary>
public sealed class KestrelRejectionTests(KestrelApiFixture stores) : IClassFixture<KestrelApiFixture>
{
    public static TheoryData<string> Rejected => ["NUL in the path", "NUL in the path of a read", "NUL in Idempotency-Key", "invalid UTF-8 in Idempotency-Key", "NUL in X-Api-Key", "invalid UTF-8 in X-Api-Key"];

    [Theory]
    [MemberData(nameof(Rejected))]
    public async Task KestrelAnswersItsOwn400WithAnEmptyBodyAndStoresNothing(string name)
    {
        var server = Encoding.ASCII.GetBytes("X-Api-Key: " + DataStoresFixture.ServerKey);
        var json = Encoding.ASCII.GetBytes("Content-Type: application/json");
        (string Method, string Target, byte[][] Headers) request = name switch
        {
            "NUL in the path" => ("PUT", "/api/leaderboards/a%00b/scores/alice", [server, json]),
            "NUL in the path of a read" => ("GET", "/api/leaderboards/a%00b/top", []),
            "NUL in Idempotency-Key" => ("PUT", "/api/leaderboards/a/scores/alice", [server, json, [.. "Idempotency-Key: k"u8, 0, .. "k"u8]]),
            "invalid UTF-8 in Idempotency-Key" => ("PUT", "/api/leaderboards/a/scores/alice", [server, json, [.. "Idempotency-Key: k"u8, 0xff, 0xfe]]),
            "NUL in X-Api-Key" => ("PUT", "/api/leaderboards/a/scores/alice", [json, [.. server, 0]]),
            _ => ("PUT", "/api/leaderboards/a/scores/alice", [json, [.. server, 0xff]]),
        };
        var before = await stores.StoredStateAsync();

        var response = await RawHttp.SendAsync(stores.Address, request.Method, Encoding.ASCII.GetBytes(request.Target), request.Headers, """{"score":1}"""u8.ToArray(), chunked: false, LeaderboardClient.Cancellation);

        Assert.Equal(400, response.Status);
        Assert.Equal("0", response.Headers["content-length"]);
        Assert.Empty(response.Body);
        Assert.Equal("close", response.Headers["connection"]);
        Assert.Equal(before, await stores.StoredStateAsync());
    }

    [Fact]
    public async Task ValuesKestrelLetThroughAreCheckedByTheApi()
    {
        // The in-memory server hands header values over as they are, as a front proxy speaking
        // HTTP/2 could: the API's own check names the field.
        var api = new LeaderboardClient(stores);
        var board = await api.CreateBoardAsync();
        var before = await stores.StoredStateAsync();
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/leaderboards/{board}/scores/alice")
        {
            Content = new StringContent("""{"score":1}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", "k\0k");

        var response = await api.Server.SendAsync(request, LeaderboardClient.Cancellation);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Idempotency-Key", await response.Content.ReadAsStringAsync(LeaderboardClient.Cancellation));
        Assert.Equal(before, await stores.StoredStateAsync());
    }
}
