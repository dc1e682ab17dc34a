using System.ClientModel;
using System.Data.Common;
using Microsoft.Extensions.AI;
using OpenAI;

namespace Stack.Dspy.Models;

/// <summary>
/// A chat model named by a connection string, <c>Endpoint=...;Model=...;Key=...</c>: any
/// OpenAI-compatible chat completions endpoint, Ollama's included (<c>Endpoint=http://localhost:11434/v1;Model=llama3.2</c>;
/// Ollama needs no key). The key is never part of <see cref="ToString"/>.
/// </summary>
public sealed record ChatModelConnection(Uri Endpoint, string Model, string? Key)
{
    /// <summary>Reads a connection string; false with a reason (never the key) when it is not one.</summary>
    public static bool TryParse(string? connectionString, out ChatModelConnection? connection, out string? problem)
    {
        connection = null;
        problem = null;
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            problem = "no model is configured";
            return false;
        }

        var builder = new DbConnectionStringBuilder();
        try
        {
            builder.ConnectionString = connectionString;
        }
        catch (ArgumentException)
        {
            problem = "the model connection string is not of the form Endpoint=...;Model=...;Key=...";
            return false;
        }

        string? Value(string name) => builder.TryGetValue(name, out var value) && value is string text && text.Length > 0 ? text : null;
        if (Value("Endpoint") is not { } endpoint || !Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            problem = "the model connection string needs Endpoint=<http(s) URL of an OpenAI-compatible API, e.g. http://localhost:11434/v1>";
            return false;
        }

        if (Value("Model") is not { } model)
        {
            problem = "the model connection string needs Model=<model name>";
            return false;
        }

        connection = new ChatModelConnection(uri, model, Value("Key"));
        return true;
    }

    /// <summary>A chat client of this model (OpenAI's chat completions protocol).</summary>
    public IChatClient CreateChatClient() =>
        new OpenAI.Chat.ChatClient(Model, new ApiKeyCredential(Key ?? "none"), new OpenAIClientOptions { Endpoint = Endpoint })
            .AsIChatClient();

    public override string ToString() => $"{Model} at {Endpoint}";
}
