using System.Text;
using Microsoft.Extensions.AI;
using Stack.Dspy.Optimizers;
using Stack.Dspy.Signatures;

namespace Stack.Dspy.Modules;

/// <summary>
/// A language-model step: renders the signature (instructions, field descriptions, the
/// demonstrations) and the input as chat messages, asks the model for one JSON object, and parses
/// it into <typeparamref name="TOut"/>. A malformed reply is answered with what was wrong and asked
/// again, up to <see cref="MaxAttempts"/> times in all.
/// </summary>
public class Predict<TIn, TOut> : IModule<TIn, TOut>
{
    private readonly IChatClient _client;

    public Predict(IChatClient client, Signature<TIn, TOut> signature)
        : this(client, signature, [], withReasoning: false)
    {
    }

    private protected Predict(IChatClient client, Signature<TIn, TOut> signature, IReadOnlyList<Demonstration<TIn, TOut>> demos, bool withReasoning)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(signature);
        _client = client;
        Signature = signature;
        Demos = demos;
        WithReasoning = withReasoning;
    }

    public Signature<TIn, TOut> Signature { get; private set; }

    /// <summary>Demonstrations shown before the input, in order.</summary>
    public IReadOnlyList<Demonstration<TIn, TOut>> Demos { get; private set; }

    /// <summary>Model calls per input at most (the first and the retries of malformed replies).</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>Whether the model reasons step by step in a <c>reasoning</c> field before the outputs.</summary>
    public bool WithReasoning { get; }

    /// <summary>The same module on another model (a teacher, say), with the same instructions and demonstrations.</summary>
    public Predict<TIn, TOut> On(IChatClient client) => Copy(client, Signature, Demos);

    /// <summary>The same module with other instructions and demonstrations, e.g. those of a compiled program.</summary>
    public Predict<TIn, TOut> With(string instructions, IReadOnlyList<Demonstration<TIn, TOut>> demos) =>
        Copy(_client, Signature with { Instructions = instructions }, demos);

    /// <summary>The module as <paramref name="program"/> compiled it.</summary>
    /// <exception cref="InvalidOperationException">The program was compiled for another signature or module.</exception>
    public Predict<TIn, TOut> With(CompiledProgram<TIn, TOut> program)
    {
        ArgumentNullException.ThrowIfNull(program);
        if (program.WithReasoning != WithReasoning)
        {
            throw new InvalidOperationException($"The program was compiled for {(program.WithReasoning ? "ChainOfThought" : "Predict")}, not {(WithReasoning ? "ChainOfThought" : "Predict")}.");
        }

        return With(program.Instructions, program.Demos);
    }

    public async Task<Prediction<TOut>> InvokeAsync(TIn input, CancellationToken cancellationToken = default)
    {
        var messages = Render(input);
        var replies = new List<string>();
        var options = new ChatOptions { ResponseFormat = ChatResponseFormat.Json, Temperature = 0 };
        for (var attempt = 1; ; attempt++)
        {
            var response = await _client.GetResponseAsync(messages, options, cancellationToken);
            var reply = response.Text;
            replies.Add(reply);
            try
            {
                var (output, reasoning) = StructuredOutput.Parse<TOut>(reply, WithReasoning);
                return new Prediction<TOut>(output, reasoning, attempt);
            }
            catch (FormatException problem)
            {
                if (attempt >= MaxAttempts)
                {
                    throw new PredictionException($"No reply of {attempt} fitted {Signature<TIn, TOut>.Name}; the last: {problem.Message}.", attempt, replies);
                }

                messages.Add(new ChatMessage(ChatRole.Assistant, reply));
                messages.Add(new ChatMessage(ChatRole.User, $"That reply could not be read: {problem.Message}. Reply with only the JSON object described, every output field filled."));
            }
        }
    }

    /// <summary>The chat the model sees: the signature as the system message, each demonstration as a turn, then the input.</summary>
    public List<ChatMessage> Render(TIn input)
    {
        var messages = new List<ChatMessage> { new(ChatRole.System, SystemPrompt()) };
        foreach (var demo in Demos)
        {
            messages.Add(new ChatMessage(ChatRole.User, StructuredOutput.Serialize(demo.Input)));
            messages.Add(new ChatMessage(ChatRole.Assistant, StructuredOutput.SerializeWithReasoning(demo.Output, WithReasoning ? demo.Reasoning ?? string.Empty : null)));
        }

        messages.Add(new ChatMessage(ChatRole.User, StructuredOutput.Serialize(input)));
        return messages;
    }

    private string SystemPrompt()
    {
        var prompt = new StringBuilder(Signature.Instructions.Trim()).Append("\n\n");
        prompt.Append("Each user message is one JSON object with these fields:\n");
        foreach (var field in Signature.Inputs)
        {
            prompt.Append($"- {field.Name} ({field.TypeHint}): {field.Description}\n");
        }

        prompt.Append("\nReply with one JSON object and nothing else, with exactly these fields:\n");
        if (WithReasoning)
        {
            prompt.Append($"- {StructuredOutput.ReasoningField} (string): think step by step about the inputs before giving the other fields.\n");
        }

        foreach (var field in Signature.Outputs)
        {
            prompt.Append($"- {field.Name} ({field.TypeHint}): {field.Description}\n");
        }

        return prompt.ToString();
    }

    private Predict<TIn, TOut> Copy(IChatClient client, Signature<TIn, TOut> signature, IReadOnlyList<Demonstration<TIn, TOut>> demos) =>
        new(client, signature, demos, WithReasoning) { MaxAttempts = MaxAttempts };
}
