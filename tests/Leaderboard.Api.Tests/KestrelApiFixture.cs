using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Npgsql;

namespace Leaderboard.Api.Tests;

/// <summary>
/// The data stores of <see cref="DataStoresFixture"/> with the API served by real Kestrel on a
/// loopback port, so requests go through the server's own parsing (headers, request targets,
/// body limits) and carry a real client address.
/// </summary>
public class KestrelApiFixture : DataStoresFixture
{
    public WebApplicationFactory<Program> KestrelApi { get; private set; } = null!;

    /// <summary>The API's address, e.g. http://127.0.0.1:41234/.</summary>
    public Uri Address { get; private set; } = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        KestrelApi = Api.WithWebHostBuilder(ConfigureKestrelApi);
        KestrelApi.UseKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, 0));
        KestrelApi.StartServer();
        using var client = KestrelApi.CreateClient();
        Address = client.BaseAddress!;
    }

    /// <summary>Settings of the Kestrel-served API on top of the fixture's own.</summary>
    protected virtual void ConfigureKestrelApi(IWebHostBuilder web)
    {
    }

    /// <summary>A client of the Kestrel-served API sending <paramref name="key"/> as X-Api-Key (none when null).</summary>
    public HttpClient KestrelClient(string? key = null)
    {
        var client = KestrelApi.CreateClient();
        if (key is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", key);
        }

        return client;
    }

    /// <summary>A fingerprint of everything PostgreSQL holds: boards, periods, scores and idempotency keys.</summary>
    public async Task<string> StoredStateAsync()
    {
        await using var connection = new NpgsqlConnection(DatabaseConnectionString);
        await connection.OpenAsync(LeaderboardClient.Cancellation);
        await using var command = new NpgsqlCommand("""
            SELECT (SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM boards t)
                || (SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM periods t)
                || (SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM scores t)
                || (SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM idempotency_keys t)
            """, connection);
        return (string)(await command.ExecuteScalarAsync(LeaderboardClient.Cancellation))!;
    }

    public override async ValueTask DisposeAsync()
    {
        if (KestrelApi is not null)
        {
            await KestrelApi.DisposeAsync();
        }

        await base.DisposeAsync();
    }
}
