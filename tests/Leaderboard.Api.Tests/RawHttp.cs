using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Leaderboard.Api.Tests;

/// <summary>
/// HTTP/1.1 spoken byte by byte over a socket, so a test can send what HttpClient refuses to
/// (NUL or invalid UTF-8 in a header or a request target) and see exactly what the server answers.
/// </summary>
internal static class RawHttp
{
    /// <summary>An answer: status, headers (names lower-cased; repeated ones joined with ", ") and the decoded body.</summary>
    public sealed record Response(int Status, IReadOnlyDictionary<string, string> Headers, byte[] Body)
    {
        public string BodyText => Encoding.UTF8.GetString(Body);

        public string? ContentType => Headers.TryGetValue("content-type", out var value) ? value.Split(';')[0].Trim() : null;

        /// <summary>The ProblemDetails body, or null when the body is not one (with status and title).</summary>
        public JsonElement? Problem()
        {
            try
            {
                var body = JsonDocument.Parse(Body).RootElement;
                return body.ValueKind == JsonValueKind.Object
                    && body.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.Number
                    && body.TryGetProperty("title", out var title) && title.ValueKind == JsonValueKind.String
                    ? body
                    : null;
            }
            catch (JsonException)
            {
                return null;
            }
        }
    }

    /// <summary>Sends one request (Connection: close) and reads the whole answer.</summary>
    /// <param name="server">The server's base address.</param>
    /// <param name="method">The method, sent as is.</param>
    /// <param name="target">The request target, bytes as given (already percent-encoded where wanted).</param>
    /// <param name="headers">Header lines as bytes: "Name: value", without CRLF.</param>
    /// <param name="body">The body; its Content-Length is added unless <paramref name="chunked"/>.</param>
    /// <param name="chunked">Send the body with Transfer-Encoding: chunked instead.</param>
    /// <param name="cancellationToken">Cancels the exchange.</param>
    public static async Task<Response> SendAsync(Uri server, string method, byte[] target, IEnumerable<byte[]> headers, byte[]? body, bool chunked, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port, cancellationToken);
        await using var stream = client.GetStream();

        var request = new MemoryStream();
        Write(request, Encoding.ASCII.GetBytes(method + " "), target, " HTTP/1.1\r\n"u8.ToArray(), Encoding.ASCII.GetBytes($"Host: {server.Authority}\r\nConnection: close\r\n"));
        foreach (var header in headers)
        {
            Write(request, header, "\r\n"u8.ToArray());
        }

        if (body is not null && chunked)
        {
            Write(request, "Transfer-Encoding: chunked\r\n\r\n"u8.ToArray());
            foreach (var piece in body.Chunk(4096))
            {
                Write(request, Encoding.ASCII.GetBytes($"{piece.Length:x}\r\n"), piece, "\r\n"u8.ToArray());
            }

            Write(request, "0\r\n\r\n"u8.ToArray());
        }
        else
        {
            Write(request, Encoding.ASCII.GetBytes($"Content-Length: {body?.Length ?? 0}\r\n\r\n"), body ?? []);
        }

        try
        {
            await stream.WriteAsync(request.ToArray(), cancellationToken);
        }
        catch (IOException)
        {
            // The server may answer and close before it has read everything (413): read what it said.
        }

        var answer = new MemoryStream();
        try
        {
            await stream.CopyToAsync(answer, cancellationToken);
        }
        catch (IOException) when (answer.Length > 0)
        {
            // A reset after a complete answer (the server closed with unread body bytes).
        }

        return Parse(answer.ToArray());
    }

    private static void Write(Stream stream, params byte[][] parts)
    {
        foreach (var part in parts)
        {
            stream.Write(part);
        }
    }

    private static Response Parse(byte[] raw)
    {
        var end = raw.AsSpan().IndexOf("\r\n\r\n"u8);
        Assert.True(end > 0, $"No complete HTTP answer: '{Encoding.Latin1.GetString(raw)}'");
        var lines = Encoding.Latin1.GetString(raw, 0, end).Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var headers = lines.Skip(1)
            .Select(line => line.Split(':', 2))
            .GroupBy(parts => parts[0].Trim().ToLowerInvariant(), parts => parts[1].Trim())
            .ToDictionary(group => group.Key, group => string.Join(", ", group));
        var body = raw.AsSpan(end + 4).ToArray();
        if (headers.TryGetValue("transfer-encoding", out var encoding) && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            body = Dechunk(body);
        }

        return new Response(status, headers, body);
    }

    private static byte[] Dechunk(byte[] chunked)
    {
        var result = new MemoryStream();
        var position = 0;
        while (true)
        {
            var lineEnd = chunked.AsSpan(position).IndexOf("\r\n"u8);
            var size = Convert.ToInt32(Encoding.ASCII.GetString(chunked, position, lineEnd).Split(';')[0], 16);
            position += lineEnd + 2;
            if (size == 0)
            {
                return result.ToArray();
            }

            result.Write(chunked, position, size);
            position += size + 2;
        }
    }
}
