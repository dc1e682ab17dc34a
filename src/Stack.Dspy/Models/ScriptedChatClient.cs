using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Stack.Dspy.Models;

/// <summary>
/// DSPy's DummyLM: a chat model that answers with the replies it was given, in order, and keeps
/// every request it saw. Shipped with the library, as DSPy ships DummyLM, so any program built on it
/// can be tested without a model; a stand-in for the model only, never for our code.
/// </summary>
public sealed class ScriptedChatClient : IChatClient
{
    private readonly Func<IReadOnlyList<ChatMessage>, string> _respond;

    /// <summary>Answers with these replies, in order; a request past the last one fails.</summary>
    public ScriptedChatClient(params string[] replies)
    {
        var queue = new Queue<string>(replies);
        _respond = _ => queue.Count > 0
            ? queue.Dequeue()
            : throw new InvalidOperationException($"The script has no reply left for request {Requests.Count}.");
    }

    /// <summary>Answers each request with what <paramref name="respond"/> makes of its messages (DummyLM's answers keyed by input).</summary>
    public ScriptedChatClient(Func<IReadOnlyList<ChatMessage>, string> respond)
    {
        ArgumentNullException.ThrowIfNull(respond);
        _respond = respond;
    }

    /// <summary>Every request, as the messages it carried.</summary>
    public List<IReadOnlyList<ChatMessage>> Requests { get; } = [];

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<ChatMessage> request = [.. messages];
        lock (Requests)
        {
            Requests.Add(request);
        }

        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, _respond(request))));
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var update in (await GetResponseAsync(messages, options, cancellationToken)).ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
