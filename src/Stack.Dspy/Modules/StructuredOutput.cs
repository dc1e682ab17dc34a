using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Stack.Dspy.Modules;

/// <summary>
/// The JSON the model reads and writes: camelCase, every constructor parameter required, no null
/// where the record says none. A reply in a Markdown fence or with words around the object is
/// still read; anything else is malformed and the module asks again.
/// </summary>
public static class StructuredOutput
{
    /// <summary>Options for inputs, outputs, demonstrations and compiled programs.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The name of the reasoning field <see cref="ChainOfThought{TIn, TOut}"/> adds before the outputs.</summary>
    public const string ReasoningField = "reasoning";

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    /// <summary>The object of <paramref name="value"/> with <c>reasoning</c> first, as a chain-of-thought reply has it.</summary>
    public static string SerializeWithReasoning<T>(T value, string? reasoning)
    {
        var node = JsonSerializer.SerializeToNode(value, Options)!.AsObject();
        if (reasoning is null)
        {
            return node.ToJsonString(Options);
        }

        var withReasoning = new JsonObject { [ReasoningField] = reasoning };
        foreach (var (name, item) in node.ToList())
        {
            node.Remove(name);
            withReasoning[name] = item;
        }

        return withReasoning.ToJsonString(Options);
    }

    /// <summary>Reads a reply into <typeparamref name="TOut"/>, with the reasoning when <paramref name="withReasoning"/>.</summary>
    /// <exception cref="FormatException">The reply holds no object, or one that does not fit <typeparamref name="TOut"/>; the message says why.</exception>
    public static (TOut Output, string? Reasoning) Parse<TOut>(string reply, bool withReasoning)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var start = reply.IndexOf('{', StringComparison.Ordinal);
        var end = reply.LastIndexOf('}');
        if (start < 0 || end < start)
        {
            throw new FormatException("the reply holds no JSON object");
        }

        try
        {
            var node = JsonNode.Parse(reply[start..(end + 1)]) as JsonObject ?? throw new FormatException("the reply is not a JSON object");
            string? reasoning = null;
            if (withReasoning)
            {
                reasoning = node[ReasoningField] is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0
                    ? text
                    : throw new FormatException($"the reply has no '{ReasoningField}' text");
                node.Remove(ReasoningField);
            }

            var output = node.Deserialize<TOut>(Options) ?? throw new FormatException("the reply is null");
            return (output, reasoning);
        }
        catch (JsonException exception)
        {
            throw new FormatException(exception.Message, exception);
        }
    }

    /// <summary>
    /// The JSON text of an object with its properties in ordinal order at every depth and its numbers
    /// in one form: the same value gives the same text however it was written (recorded replies are found by it).
    /// </summary>
    public static string Canonical(JsonNode? node) => Sorted(node)?.ToJsonString() ?? "null";

    private static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Sorted(p.Value)))),
        JsonArray array => new JsonArray([.. array.Select(Sorted)]),
        null => null,
        // 122, 122.0 and 1.22e2 are one number, however the recording or the record wrote it.
        JsonValue number when number.GetValueKind() == JsonValueKind.Number => JsonValue.Create(number.GetValue<double>()),
        _ => node.DeepClone(),
    };
}
