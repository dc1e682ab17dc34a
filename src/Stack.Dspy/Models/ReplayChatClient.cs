using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Stack.Dspy.Modules;

namespace Stack.Dspy.Models;

/// <summary>
/// A chat model played back from recorded replies, for running programs offline: JSON Lines of
/// <c>{"input": {...}, "reply": "..."}</c>. A request is answered by the next unused reply recorded
/// for its input (the last user message that is a JSON object, compared by value), so the same input
/// asked again (a retry, the compiled program after the plain one) gets the next recorded reply.
/// </summary>
public sealed class ReplayChatClient : IChatClient
{
    private readonly Dictionary<string, Queue<string>> _replies = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public ReplayChatClient(IEnumerable<(JsonNode Input, string Reply)> recordings)
    {
        ArgumentNullException.ThrowIfNull(recordings);
        foreach (var (input, reply) in recordings)
        {
            var key = StructuredOutput.Canonical(input);
            if (!_replies.TryGetValue(key, out var queue))
            {
                _replies[key] = queue = new Queue<string>();
            }

            queue.Enqueue(reply);
        }
    }

    /// <summary>Reads recorded replies from a JSON Lines file.</summary>
    public static ReplayChatClient Load(string path)
    {
        var recordings = new List<(JsonNode, string)>();
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line) || line.TrimStart().StartsWith("//", StringComparison.Ordinal))
            {
                continue;
            }

            var node = JsonNode.Parse(line) as JsonObject;
            if (node?["input"] is not JsonObject input || node["reply"] is not JsonValue reply || !reply.TryGetValue<string>(out var text))
            {
                throw new FormatException($"{path}, line {number}: expected {{\"input\": {{...}}, \"reply\": \"...\"}}");
            }

            recordings.Add((input, text));
        }

        return new ReplayChatClient(recordings);
    }

    /// <summary>Recorded replies not played yet.</summary>
    public int Remaining
    {
        get
        {
            lock (_gate)
            {
                return _replies.Values.Sum(queue => queue.Count);
            }
        }
    }

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var input = messages.LastOrDefault(m => m.Role == ChatRole.User && IsObject(m.Text))
            ?? throw new InvalidOperationException("The request has no JSON input to look up a recorded reply by.");
        var key = StructuredOutput.Canonical(JsonNode.Parse(input.Text));
        lock (_gate)
        {
            return _replies.TryGetValue(key, out var queue) && queue.Count > 0
                ? Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, queue.Dequeue())))
                : throw new InvalidOperationException($"No recorded reply left for input {key}.");
        }
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var update in (await GetResponseAsync(messages, options, cancellationToken)).ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => serviceType == typeof(ReplayChatClient) ? this : null;

    public void Dispose()
    {
    }

    private static bool IsObject(string text)
    {
        try
        {
            return JsonNode.Parse(text) is JsonObject;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
