using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Leaderboard.Api.Tests;

/// <summary>The calls the tests make, each asserting the status it expects.</summary>
internal sealed class LeaderboardClient(DataStoresFixture stores)
{
    private readonly HttpClient _admin = stores.Client(DataStoresFixture.AdminKey);
    private readonly HttpClient _server = stores.Client(DataStoresFixture.ServerKey);
    private readonly HttpClient _public = stores.Client();

    public static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public HttpClient Public => _public;

    public HttpClient Server => _server;

    public HttpClient Admin => _admin;

    public static string NewBoardId() => $"board-{Guid.NewGuid():N}";

    public async Task<string> CreateBoardAsync(object? definition = null)
    {
        var boardId = NewBoardId();
        var response = await _admin.PutAsJsonAsync($"/api/leaderboards/{boardId}", definition ?? new { }, Cancellation);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return boardId;
    }

    public async Task<JsonElement> SubmitAsync(string boardId, string playerId, long score, long? subscore = null, object? metadata = null)
    {
        var response = await _server.PutAsJsonAsync($"/api/leaderboards/{boardId}/scores/{playerId}", new { score, subscore, metadata }, Cancellation);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Cancellation));
        return await response.Content.ReadFromJsonAsync<JsonElement>(Cancellation);
    }

    public Task<HttpResponseMessage> PutRawAsync(HttpClient client, string path, string body) =>
        client.PutAsync(path, new StringContent(body, Encoding.UTF8, "application/json"), Cancellation);

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        var response = await _public.GetAsync(path, Cancellation);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Cancellation)}");
        return await response.Content.ReadFromJsonAsync<JsonElement>(Cancellation);
    }

    public async Task<JsonElement[]> TopAsync(string boardId, int limit = 100, string? period = null)
    {
        var body = await GetJsonAsync($"/api/leaderboards/{boardId}/top?limit={limit}{(period is null ? string.Empty : $"&period={period}")}");
        return [.. body.GetProperty("entries").EnumerateArray()];
    }

    public static string[] Players(IEnumerable<JsonElement> entries) => [.. entries.Select(entry => entry.GetProperty("playerId").GetString()!)];
}
