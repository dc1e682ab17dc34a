using System.Text;

namespace Leaderboard.Api.Tests;

/// <summary>A board with one score that the corpus aims its bad requests at.</summary>
public sealed class FuzzFixture : KestrelApiFixture
{
    public const string Board = "fuzz-board";

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        var api = new LeaderboardClient(this);
        var created = await api.Admin.PutAsync($"/api/leaderboards/{Board}", new StringContent("""{"operator":"increment"}""", Encoding.UTF8, "application/json"), LeaderboardClient.Cancellation);
        Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);
        await api.SubmitAsync(Board, "alice", 10);
    }
}

/// <summary>
/// Bad input aimed at every endpoint, sent byte for byte through Kestrel: NULs, unpaired surrogates,
/// invalid UTF-8, huge numbers, wrong types, integer enums, duplicate keys, deep nesting, oversized
/// bodies, unknown routes and methods. Every answer is a 4xx ProblemDetails, and nothing is stored.
/// </summary>
public sealed class FuzzCorpusTests(FuzzFixture stores) : IClassFixture<FuzzFixture>
{
    private const string B = FuzzFixture.Board;
    private const string Scores = $"/api/leaderboards/{B}/scores";
    private const string NewBoard = "/api/leaderboards/fuzz-new-board";

    public enum Key
    {
        None,
        Server,
        Admin,
        Unknown,
    }

    /// <summary>One bad request: what is sent, with which key.</summary>
    public sealed record Case(string Method, byte[] Target, Key Key, byte[]? Body, byte[][] Headers, bool Chunked = false, string ContentType = "application/json");

    private static readonly Dictionary<string, Case> Corpus = BuildCorpus();

    public static TheoryData<string> CaseNames => [.. Corpus.Keys];

    [Fact]
    public void TheCorpusHoldsAtLeastAHundredCasesCoveringEveryEndpoint()
    {
        Assert.True(Corpus.Count >= 100, $"{Corpus.Count} cases");
        string[] endpoints =
        [
            "PUT /api/leaderboards/{b}", "DELETE /api/leaderboards/{b}", "POST /api/leaderboards/{b}/index/rebuild",
            "GET /api/leaderboards", "GET /api/leaderboards/{b}", "GET /api/leaderboards/{b}/periods",
            "PUT /api/leaderboards/{b}/scores/{p}", "DELETE /api/leaderboards/{b}/scores/{p}", "GET /api/leaderboards/{b}/top",
            "GET /api/leaderboards/{b}/players/{p}", "GET /api/leaderboards/{b}/players/{p}/around",
            "POST /api/leaderboards/{b}/players/query", "GET /api/leaderboards/{b}/live",
        ];
        var covered = Corpus.Keys.Select(name => name.Split(" :: ")[0]).ToHashSet();
        Assert.All(endpoints, endpoint => Assert.Contains(endpoint, covered));
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task BadInputIsA4xxProblemAndStoresNothing(string name)
    {
        var sent = Corpus[name];
        var before = await stores.StoredStateAsync();

        var headers = new List<byte[]>(sent.Headers);
        if (sent.Body is not null)
        {
            headers.Add(Encoding.ASCII.GetBytes($"Content-Type: {sent.ContentType}"));
        }

        if (sent.Key != Key.None)
        {
            var key = sent.Key switch
            {
                Key.Server => DataStoresFixture.ServerKey,
                Key.Admin => DataStoresFixture.AdminKey,
                _ => "not-a-key-of-this-service-0123456789",
            };
            headers.Add(Encoding.ASCII.GetBytes($"X-Api-Key: {key}"));
        }

        var response = await RawHttp.SendAsync(stores.Address, sent.Method, sent.Target, headers, sent.Body, sent.Chunked, LeaderboardClient.Cancellation);

        Assert.True(response.Status is >= 400 and < 500, $"{name}: {response.Status} {response.BodyText}");
        Assert.Equal("application/problem+json", response.ContentType);
        var problem = response.Problem();
        Assert.True(problem is not null, $"{name}: not a ProblemDetails: '{response.BodyText}'");
        Assert.Equal(response.Status, problem.Value.GetProperty("status").GetInt32());
        Assert.Equal(before, await stores.StoredStateAsync());
    }

    private static Dictionary<string, Case> BuildCorpus()
    {
        var corpus = new Dictionary<string, Case>();
        void Add(string endpoint, string name, string method, string target, Key key = Key.None, string? body = null, byte[]? raw = null, byte[][]? headers = null, bool chunked = false, string contentType = "application/json") =>
            corpus.Add($"{endpoint} :: {name}", new Case(method, Encoding.ASCII.GetBytes(target), key, raw ?? (body is null ? null : Encoding.UTF8.GetBytes(body)), headers ?? [], chunked, contentType));
        static byte[] Bytes(string before, byte[] middle, string after) => [.. Encoding.UTF8.GetBytes(before), .. middle, .. Encoding.UTF8.GetBytes(after)];
        static string Nested(int depth) => string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);
        byte[] invalidUtf8 = [0xff, 0xfe];
        byte[] overlong = [0xc0, 0x80];
        byte[] truncated = [0xe2, 0x82];
        byte[] encodedSurrogate = [0xed, 0xa0, 0x80];

        // PUT /api/leaderboards/{b}: board rules, metadata, bounds, bodies, ids, keys.
        const string putBoard = "PUT /api/leaderboards/{b}";
        Add(putBoard, "integer operator", "PUT", NewBoard, Key.Admin, """{"operator":5}""");
        Add(putBoard, "numeric string operator", "PUT", NewBoard, Key.Admin, """{"operator":"-1"}""");
        Add(putBoard, "numeric string operator 2", "PUT", NewBoard, Key.Admin, """{"operator":"2"}""");
        Add(putBoard, "integer sort order", "PUT", NewBoard, Key.Admin, """{"sortOrder":9}""");
        Add(putBoard, "integer sort order 0", "PUT", NewBoard, Key.Admin, """{"sortOrder":0}""");
        Add(putBoard, "numeric string sort order", "PUT", NewBoard, Key.Admin, """{"sortOrder":"1"}""");
        Add(putBoard, "boolean sort order", "PUT", NewBoard, Key.Admin, """{"sortOrder":true}""");
        Add(putBoard, "unknown operator name", "PUT", NewBoard, Key.Admin, """{"operator":"worst"}""");
        Add(putBoard, "operator names combined", "PUT", NewBoard, Key.Admin, """{"operator":"best, set"}""");
        Add(putBoard, "duplicate operator", "PUT", NewBoard, Key.Admin, """{"operator":"best","operator":"set"}""");
        Add(putBoard, "duplicate metadata key", "PUT", NewBoard, Key.Admin, """{"metadata":{"a":1,"a":2}}""");
        Add(putBoard, "NUL in metadata value", "PUT", NewBoard, Key.Admin, """{"metadata":{"a":"x\u0000y"}}""");
        Add(putBoard, "NUL in metadata key", "PUT", NewBoard, Key.Admin, """{"metadata":{"a\u0000b":1}}""");
        Add(putBoard, "lone high surrogate in metadata", "PUT", NewBoard, Key.Admin, """{"metadata":{"a":"\ud800"}}""");
        Add(putBoard, "lone low surrogate in metadata", "PUT", NewBoard, Key.Admin, """{"metadata":{"a":"\udc00"}}""");
        Add(putBoard, "reversed surrogates in metadata key", "PUT", NewBoard, Key.Admin, """{"metadata":{"\udc00\ud800":1}}""");
        Add(putBoard, "invalid UTF-8 in metadata value", "PUT", NewBoard, Key.Admin, raw: Bytes("""{"metadata":{"a":"x""", invalidUtf8, "\"}}"));
        Add(putBoard, "invalid UTF-8 in metadata key", "PUT", NewBoard, Key.Admin, raw: Bytes("""{"metadata":{"x""", invalidUtf8, "\":1}}"));
        Add(putBoard, "overlong UTF-8 NUL in metadata", "PUT", NewBoard, Key.Admin, raw: Bytes("""{"metadata":{"a":"x""", overlong, "\"}}"));
        Add(putBoard, "truncated UTF-8 in metadata", "PUT", NewBoard, Key.Admin, raw: Bytes("""{"metadata":{"a":"x""", truncated, "\"}}"));
        Add(putBoard, "UTF-8 encoded surrogate in metadata", "PUT", NewBoard, Key.Admin, raw: Bytes("""{"metadata":{"a":"x""", encodedSurrogate, "\"}}"));
        Add(putBoard, "NUL deep inside metadata", "PUT", NewBoard, Key.Admin, """{"metadata":{"a":{"b":[1,{"c":"\u0000"}]}}}""");
        Add(putBoard, "metadata array", "PUT", NewBoard, Key.Admin, """{"metadata":[1,2]}""");
        Add(putBoard, "metadata nested too deep", "PUT", NewBoard, Key.Admin, $$"""{"metadata":{{Nested(200)}}}""");
        Add(putBoard, "NUL in reset schedule", "PUT", NewBoard, Key.Admin, """{"resetSchedule":"0 0 * * 1\u0000"}""");
        Add(putBoard, "surrogate in reset schedule", "PUT", NewBoard, Key.Admin, """{"resetSchedule":"\ud800 0 * * 1"}""");
        Add(putBoard, "integer reset schedule", "PUT", NewBoard, Key.Admin, """{"resetSchedule":5}""");
        Add(putBoard, "huge minScore", "PUT", NewBoard, Key.Admin, """{"minScore":1e400}""");
        Add(putBoard, "minScore over 64 bits", "PUT", NewBoard, Key.Admin, """{"minScore":9223372036854775808}""");
        Add(putBoard, "minScore beyond 2^53", "PUT", NewBoard, Key.Admin, """{"minScore":9007199254740992}""");
        Add(putBoard, "string maxScore", "PUT", NewBoard, Key.Admin, """{"maxScore":"1"}""");
        Add(putBoard, "fractional maxScore", "PUT", NewBoard, Key.Admin, """{"maxScore":1.5}""");
        Add(putBoard, "minScore above maxScore", "PUT", NewBoard, Key.Admin, """{"minScore":10,"maxScore":1}""");
        Add(putBoard, "not JSON", "PUT", NewBoard, Key.Admin, "not json");
        Add(putBoard, "JSON array", "PUT", NewBoard, Key.Admin, "[]");
        Add(putBoard, "truncated JSON", "PUT", NewBoard, Key.Admin, """{"sortOrder":""");
        Add(putBoard, "invalid UTF-8 body", "PUT", NewBoard, Key.Admin, raw: [0xff, 0xfe, 0xfd]);
        Add(putBoard, "text/plain body", "PUT", NewBoard, Key.Admin, "{}", contentType: "text/plain");
        Add(putBoard, "body over 16 KB", "PUT", NewBoard, Key.Admin, $$$"""{"metadata":{"pad":"{{{new string('x', 17 * 1024)}}}"}}""");
        Add(putBoard, "chunked body over 16 KB", "PUT", NewBoard, Key.Admin, $$$"""{"metadata":{"pad":"{{{new string('x', 17 * 1024)}}}"}}""", chunked: true);
        Add(putBoard, "board id too long", "PUT", $"/api/leaderboards/{new string('b', 129)}", Key.Admin, "{}");
        Add(putBoard, "board id with a space", "PUT", "/api/leaderboards/a%20b", Key.Admin, "{}");
        Add(putBoard, "board id with a non-ASCII letter", "PUT", "/api/leaderboards/%C3%A9t%C3%A9", Key.Admin, "{}");
        Add(putBoard, "board id of invalid UTF-8", "PUT", "/api/leaderboards/a%FFb", Key.Admin, "{}");
        Add(putBoard, "board id of an encoded surrogate", "PUT", "/api/leaderboards/a%ED%A0%80b", Key.Admin, "{}");
        Add(putBoard, "integer operator on an existing board", "PUT", $"/api/leaderboards/{B}", Key.Admin, """{"operator":1}""");
        Add(putBoard, "duplicate keys on an existing board", "PUT", $"/api/leaderboards/{B}", Key.Admin, """{"operator":"increment","maxScore":5,"maxScore":6}""");
        Add(putBoard, "NUL in query", "PUT", $"{NewBoard}?x=%00", Key.Admin, "{}");
        Add(putBoard, "no key", "PUT", NewBoard, Key.None, "{}");
        Add(putBoard, "unknown key", "PUT", NewBoard, Key.Unknown, "{}");
        Add(putBoard, "server key", "PUT", NewBoard, Key.Server, "{}");

        // PUT /api/leaderboards/{b}/scores/{p}: numbers, types, metadata, bodies, ids, keys.
        const string putScore = "PUT /api/leaderboards/{b}/scores/{p}";
        var alice = $"{Scores}/alice";
        Add(putScore, "huge score", "PUT", alice, Key.Server, """{"score":1e400}""");
        Add(putScore, "score 2^53", "PUT", alice, Key.Server, """{"score":9007199254740992}""");
        Add(putScore, "score -2^53", "PUT", alice, Key.Server, """{"score":-9007199254740992}""");
        Add(putScore, "score over 64 bits", "PUT", alice, Key.Server, """{"score":9223372036854775808}""");
        Add(putScore, "score of a thousand digits", "PUT", alice, Key.Server, $$"""{"score":{{new string('9', 1000)}}}""");
        Add(putScore, "string score", "PUT", alice, Key.Server, """{"score":"12"}""");
        Add(putScore, "fractional score", "PUT", alice, Key.Server, """{"score":1.5}""");
        Add(putScore, "exponent score", "PUT", alice, Key.Server, """{"score":1e3}""");
        Add(putScore, "boolean score", "PUT", alice, Key.Server, """{"score":true}""");
        Add(putScore, "null score", "PUT", alice, Key.Server, """{"score":null}""");
        Add(putScore, "missing score", "PUT", alice, Key.Server, "{}");
        Add(putScore, "object score", "PUT", alice, Key.Server, """{"score":{"$numberLong":"1"}}""");
        Add(putScore, "huge subscore", "PUT", alice, Key.Server, """{"score":1,"subscore":1e20}""");
        Add(putScore, "string subscore", "PUT", alice, Key.Server, """{"score":1,"subscore":"1"}""");
        Add(putScore, "duplicate score", "PUT", alice, Key.Server, """{"score":1,"score":2}""");
        Add(putScore, "duplicate score differing in case", "PUT", alice, Key.Server, """{"score":1,"Score":2}""");
        Add(putScore, "duplicate metadata key", "PUT", alice, Key.Server, """{"score":1,"metadata":{"k":1,"k":2}}""");
        Add(putScore, "NUL in metadata value", "PUT", alice, Key.Server, """{"score":1,"metadata":{"k":"\u0000"}}""");
        Add(putScore, "NUL in metadata key", "PUT", alice, Key.Server, """{"score":1,"metadata":{"\u0000":1}}""");
        Add(putScore, "lone surrogate in metadata value", "PUT", alice, Key.Server, """{"score":1,"metadata":{"k":"\ud800"}}""");
        Add(putScore, "lone surrogate in metadata key", "PUT", alice, Key.Server, """{"score":1,"metadata":{"\udfff":1}}""");
        Add(putScore, "invalid UTF-8 in metadata value", "PUT", alice, Key.Server, raw: Bytes("""{"score":1,"metadata":{"k":""", invalidUtf8, "\"}}"));
        Add(putScore, "invalid UTF-8 in metadata key", "PUT", alice, Key.Server, raw: Bytes("""{"score":1,"metadata":{""", invalidUtf8, "\":1}}"));
        Add(putScore, "overlong UTF-8 in metadata", "PUT", alice, Key.Server, raw: Bytes("""{"score":1,"metadata":{"k":""", overlong, "\"}}"));
        Add(putScore, "NUL inside a metadata array", "PUT", alice, Key.Server, """{"score":1,"metadata":{"k":["a",["\u0000"]]}}""");
        Add(putScore, "string metadata", "PUT", alice, Key.Server, """{"score":1,"metadata":"x"}""");
        Add(putScore, "metadata over 2 KB", "PUT", alice, Key.Server, $$$"""{"score":1,"metadata":{"pad":"{{{new string('x', 3000)}}}"}}""");
        Add(putScore, "nested too deep", "PUT", alice, Key.Server, $$"""{"score":1,"metadata":{{Nested(100)}}}""");
        Add(putScore, "not JSON", "PUT", alice, Key.Server, "score=1");
        Add(putScore, "JSON null", "PUT", alice, Key.Server, "null");
        Add(putScore, "empty body", "PUT", alice, Key.Server, "");
        Add(putScore, "comment in JSON", "PUT", alice, Key.Server, """{"score":1 /* c */}""");
        Add(putScore, "trailing comma", "PUT", alice, Key.Server, """{"score":1,}""");
        Add(putScore, "NaN", "PUT", alice, Key.Server, """{"score":NaN}""");
        Add(putScore, "body over 16 KB", "PUT", alice, Key.Server, $$$"""{"score":1,"metadata":{"pad":"{{{new string('x', 17 * 1024)}}}"}}""");
        Add(putScore, "chunked body over 16 KB", "PUT", alice, Key.Server, $$$"""{"score":1,"metadata":{"pad":"{{{new string('x', 17 * 1024)}}}"}}""", chunked: true);
        Add(putScore, "no content type", "PUT", alice, Key.Server, headers: [], raw: null);
        Add(putScore, "XML content type", "PUT", alice, Key.Server, "<score>1</score>", contentType: "application/xml");
        Add(putScore, "Idempotency-Key too long", "PUT", alice, Key.Server, """{"score":1}""", headers: [Encoding.ASCII.GetBytes($"Idempotency-Key: {new string('k', 129)}")]);
        Add(putScore, "empty Idempotency-Key", "PUT", alice, Key.Server, """{"score":1}""", headers: [Encoding.ASCII.GetBytes("Idempotency-Key: ")]);
        Add(putScore, "player id too long", "PUT", $"{Scores}/{new string('p', 129)}", Key.Server, """{"score":1}""");
        Add(putScore, "player id with a slash", "PUT", $"{Scores}/a%2Fb", Key.Server, """{"score":1}""");
        Add(putScore, "player id with a non-ASCII letter", "PUT", $"{Scores}/%C3%A9", Key.Server, """{"score":1}""");
        Add(putScore, "player id of invalid UTF-8", "PUT", $"{Scores}/%FF", Key.Server, """{"score":1}""");
        Add(putScore, "unknown board", "PUT", "/api/leaderboards/no-such-board/scores/alice", Key.Server, """{"score":1}""");
        Add(putScore, "NUL in query", "PUT", $"{alice}?period=%00", Key.Server, """{"score":1}""");
        Add(putScore, "no key", "PUT", alice, Key.None, """{"score":1}""");
        Add(putScore, "unknown key", "PUT", alice, Key.Unknown, """{"score":1}""");
        Add(putScore, "PATCH", "PATCH", alice, Key.Server, """{"score":1}""");

        // Moderation and board administration.
        const string deleteScore = "DELETE /api/leaderboards/{b}/scores/{p}";
        Add(deleteScore, "no key", "DELETE", alice);
        Add(deleteScore, "server key", "DELETE", alice, Key.Server);
        Add(deleteScore, "unknown key", "DELETE", alice, Key.Unknown);
        Add(deleteScore, "unknown board", "DELETE", "/api/leaderboards/no-such-board/scores/alice", Key.Admin);
        Add(deleteScore, "NUL in query", "DELETE", $"{alice}?why=%00", Key.Admin);
        const string deleteBoard = "DELETE /api/leaderboards/{b}";
        Add(deleteBoard, "no key", "DELETE", $"/api/leaderboards/{B}");
        Add(deleteBoard, "server key", "DELETE", $"/api/leaderboards/{B}", Key.Server);
        Add(deleteBoard, "unknown board", "DELETE", "/api/leaderboards/no-such-board", Key.Admin);
        Add(deleteBoard, "NUL in query", "DELETE", $"/api/leaderboards/{B}?x=a%00", Key.Admin);
        const string rebuild = "POST /api/leaderboards/{b}/index/rebuild";
        Add(rebuild, "no key", "POST", $"/api/leaderboards/{B}/index/rebuild");
        Add(rebuild, "server key", "POST", $"/api/leaderboards/{B}/index/rebuild", Key.Server);
        Add(rebuild, "unknown board with a garbage body", "POST", "/api/leaderboards/no-such-board/index/rebuild", Key.Admin, raw: invalidUtf8);
        Add(rebuild, "NUL in query", "POST", $"/api/leaderboards/{B}/index/rebuild?%00=1", Key.Admin);
        Add(rebuild, "GET", "GET", $"/api/leaderboards/{B}/index/rebuild", Key.Admin);

        // Board reads.
        Add("GET /api/leaderboards", "NUL in a query value", "GET", "/api/leaderboards?x=%00");
        Add("GET /api/leaderboards", "NUL in a query name", "GET", "/api/leaderboards?a%00b=1");
        Add("GET /api/leaderboards", "POST", "POST", "/api/leaderboards", Key.Admin, "{}");
        Add("GET /api/leaderboards/{b}", "unknown board", "GET", "/api/leaderboards/no-such-board");
        Add("GET /api/leaderboards/{b}", "NUL in period", "GET", $"/api/leaderboards/{B}?period=%00");
        Add("GET /api/leaderboards/{b}", "unknown key is anonymous, unknown board", "GET", "/api/leaderboards/no-such-board", Key.Unknown);
        Add("GET /api/leaderboards/{b}/periods", "unknown board", "GET", "/api/leaderboards/no-such-board/periods");
        Add("GET /api/leaderboards/{b}/periods", "NUL in query", "GET", $"/api/leaderboards/{B}/periods?period=x%00");

        // Ranked reads.
        const string top = "GET /api/leaderboards/{b}/top";
        Add(top, "NUL inside period", "GET", $"/api/leaderboards/{B}/top?period=a%00b");
        Add(top, "NUL period", "GET", $"/api/leaderboards/{B}/top?period=%00");
        Add(top, "period of invalid UTF-8", "GET", $"/api/leaderboards/{B}/top?period=%FF");
        Add(top, "period of an encoded surrogate", "GET", $"/api/leaderboards/{B}/top?period=%ED%A0%80");
        Add(top, "unknown period", "GET", $"/api/leaderboards/{B}/top?period=20990101T000000Z");
        Add(top, "limit 0", "GET", $"/api/leaderboards/{B}/top?limit=0");
        Add(top, "limit 101", "GET", $"/api/leaderboards/{B}/top?limit=101");
        Add(top, "negative limit", "GET", $"/api/leaderboards/{B}/top?limit=-1");
        Add(top, "limit not a number", "GET", $"/api/leaderboards/{B}/top?limit=abc");
        Add(top, "limit over 32 bits", "GET", $"/api/leaderboards/{B}/top?limit=99999999999");
        Add(top, "limit twice", "GET", $"/api/leaderboards/{B}/top?limit=1&limit=2");
        Add(top, "garbage cursor", "GET", $"/api/leaderboards/{B}/top?cursor=garbage");
        Add(top, "NUL cursor", "GET", $"/api/leaderboards/{B}/top?cursor=%00");
        Add(top, "cursor of another board", "GET", $"/api/leaderboards/{B}/top?cursor=b3RoZXIKYWxsLXRpbWUKMDAwMDAwMDAwMDAwMDAwMAoxCjAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAw");
        Add(top, "unknown board", "GET", "/api/leaderboards/no-such-board/top");
        Add(top, "POST", "POST", $"/api/leaderboards/{B}/top", Key.Admin, "{}");
        const string player = "GET /api/leaderboards/{b}/players/{p}";
        Add(player, "NUL period", "GET", $"/api/leaderboards/{B}/players/alice?period=%00");
        Add(player, "unknown player", "GET", $"/api/leaderboards/{B}/players/nobody");
        Add(player, "player id of invalid UTF-8", "GET", $"/api/leaderboards/{B}/players/%FF%FE");
        Add(player, "unknown board", "GET", "/api/leaderboards/no-such-board/players/alice");
        const string around = "GET /api/leaderboards/{b}/players/{p}/around";
        Add(around, "radius 0", "GET", $"/api/leaderboards/{B}/players/alice/around?radius=0");
        Add(around, "radius 51", "GET", $"/api/leaderboards/{B}/players/alice/around?radius=51");
        Add(around, "radius not a number", "GET", $"/api/leaderboards/{B}/players/alice/around?radius=1e3");
        Add(around, "NUL period", "GET", $"/api/leaderboards/{B}/players/alice/around?period=%00");
        Add(around, "unknown player", "GET", $"/api/leaderboards/{B}/players/nobody/around");
        const string query = "POST /api/leaderboards/{b}/players/query";
        var queryPath = $"/api/leaderboards/{B}/players/query";
        Add(query, "missing playerIds", "POST", queryPath, body: "{}");
        Add(query, "playerIds not a list", "POST", queryPath, body: """{"playerIds":"alice"}""");
        Add(query, "numbers as player ids", "POST", queryPath, body: """{"playerIds":[1,2]}""");
        Add(query, "101 player ids", "POST", queryPath, body: $$"""{"playerIds":[{{string.Join(',', Enumerable.Range(0, 101).Select(i => $"\"p{i}\""))}}]}""");
        Add(query, "NUL in a player id", "POST", queryPath, body: """{"playerIds":["a\u0000"]}""");
        Add(query, "lone surrogate in a player id", "POST", queryPath, body: """{"playerIds":["\ud800"]}""");
        Add(query, "invalid UTF-8 in a player id", "POST", queryPath, raw: Bytes("""{"playerIds":["a""", invalidUtf8, "\"]}"));
        Add(query, "duplicate playerIds", "POST", queryPath, body: """{"playerIds":["alice"],"playerIds":["bob"]}""");
        Add(query, "nested too deep", "POST", queryPath, body: $$"""{"playerIds":{{string.Concat(Enumerable.Repeat("[", 100))}}{{new string(']', 100)}}}""");
        Add(query, "not JSON", "POST", queryPath, body: "alice,bob");
        Add(query, "NUL period", "POST", $"{queryPath}?period=%00", body: """{"playerIds":["alice"]}""");
        Add(query, "unknown board", "POST", "/api/leaderboards/no-such-board/players/query", body: """{"playerIds":["alice"]}""");
        Add(query, "body over 16 KB", "POST", queryPath, body: $$"""{"playerIds":["{{new string('p', 17 * 1024)}}"]}""");
        const string live = "GET /api/leaderboards/{b}/live";
        Add(live, "unknown board", "GET", "/api/leaderboards/no-such-board/live");
        Add(live, "NUL in query", "GET", $"/api/leaderboards/{B}/live?x=%00");
        Add(live, "POST", "POST", $"/api/leaderboards/{B}/live", body: "{}");

        // Routes and methods the API does not have.
        Add("unmatched", "unknown API route", "GET", "/api/nothing-here");
        Add("unmatched", "unknown board sub-route", "GET", $"/api/leaderboards/{B}/nothing");
        Add("unmatched", "too many segments", "GET", $"/api/leaderboards/{B}/players/alice/around/more");
        Add("unmatched", "DELETE the board list", "DELETE", "/api/leaderboards", Key.Admin);
        Add("unmatched", "TRACE", "TRACE", "/api/leaderboards");
        Add("unmatched", "unknown page", "GET", "/no-such-page");
        return corpus;
    }
}
