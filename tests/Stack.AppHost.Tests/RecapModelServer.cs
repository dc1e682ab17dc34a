using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Stack.Hosting.LocalInfrastructure;

namespace Stack.AppHost.Tests;

/// <summary>
/// A chat model for the whole stack, over OpenAI's chat completions protocol on loopback: DSPy's
/// DummyLM behind HTTP (no model runs on this machine). It recaps the digest it is sent with the
/// leader and their score, so the worker's real client, metric and store carry a recap to the page.
/// </summary>
public sealed class RecapModelServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serving;

    public RecapModelServer()
    {
        Port = FreeTcpPort.Next();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public int Port { get; }

    /// <summary>The connection string the stats worker reads (ConnectionStrings:recap-model).</summary>
    public string ConnectionString => $"Endpoint=http://127.0.0.1:{Port}/v1;Model=dummy-recaps";

    /// <summary>How many chat completions it answered.</summary>
    public int Answered => Volatile.Read(ref _answered);

    private int _answered;

    /// <summary>The recap this model writes of a digest: faithful by construction.</summary>
    public static string HeadlineOf(string leader, long score) => $"@{leader} leads with {score}";

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }

            using var response = context.Response;
            var request = await JsonNode.ParseAsync(context.Request.InputStream);
            var digest = JsonNode.Parse(request!["messages"]!.AsArray()[^1]!["content"]!.GetValue<string>())!;
            var recap = new JsonObject
            {
                ["reasoning"] = "Read from the digest.",
                ["headline"] = HeadlineOf(digest["leader"]!.GetValue<string>(), digest["leaderScore"]!.GetValue<long>()),
                ["highlights"] = new JsonArray($"{digest["entries"]!.GetValue<long>()} players so far."),
            };
            var completion = new JsonObject
            {
                ["id"] = "dummy",
                ["object"] = "chat.completion",
                ["created"] = 0,
                ["model"] = "dummy-recaps",
                ["choices"] = new JsonArray(new JsonObject
                {
                    ["index"] = 0,
                    ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = recap.ToJsonString() },
                    ["finish_reason"] = "stop",
                }),
            };
            var body = Encoding.UTF8.GetBytes(completion.ToJsonString());
            response.ContentType = "application/json";
            response.ContentLength64 = body.Length;
            await response.OutputStream.WriteAsync(body);
            Interlocked.Increment(ref _answered);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _serving.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _listener.Close();
        _stop.Dispose();
    }
}
