using System.Text.Json;

namespace Stack.Tests.Shared;

/// <summary>Reads a board's Server-Sent Events stream, one "top" event at a time.</summary>
internal sealed class LiveStream : IAsyncDisposable
{
    // A deadline for waiting, not a speed limit: generous enough for a loaded two-core machine.
    private static readonly TimeSpan EventTimeout = TimeSpan.FromSeconds(30);
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private LiveStream(HttpResponseMessage response, StreamReader reader)
    {
        _response = response;
        _reader = reader;
    }

    public string? ServedBy => _response.Headers.TryGetValues("X-Served-By", out var values) ? values.Single() : null;

    public static async Task<LiveStream> OpenAsync(HttpClient client, string boardId)
    {
        var response = await client.GetAsync($"/api/leaderboards/{boardId}/live", HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var stream = await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken);
        return new LiveStream(response, new StreamReader(stream));
    }

    /// <summary>The data of the next "top" event.</summary>
    public async Task<JsonElement> NextAsync()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(EventTimeout);
        string? eventType = null;
        while (await _reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                eventType = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal) && eventType == "top")
            {
                return JsonDocument.Parse(line["data: ".Length..]).RootElement.Clone();
            }
        }

        throw new EndOfStreamException("The live stream ended.");
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        return ValueTask.CompletedTask;
    }
}
