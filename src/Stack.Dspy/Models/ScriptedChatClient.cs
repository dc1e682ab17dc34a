using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Stack.Dspy.Models;

/// <summary>
/// DSPy's DummyLM: a chat model that answers with the replies it was given, in order, and keeps
/// every request it saw. Shipped with the library, as DSPy ships DummyLM, so any program built on it
/// can be tested without a model; a stand-in for the model only, never for our code.
/// </summary>
public sealed class ScriptedChatClient(params string[] replies) : IChatClient
{
    private readonly Queue<string> _replies = new(replies);

    /// <summary>Every request, as the messages it carried.</summary>
    public List<IReadOnlyList<ChatMessage>> Requests { get; } = [];

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Requests.Add([.. messages]);
        return _replies.Count > 0
            ? Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, _replies.Dequeue())))
            : throw new InvalidOperationException($"The script has no reply left for request {Requests.Count}.");
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
