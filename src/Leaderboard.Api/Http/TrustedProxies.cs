using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using IPNetwork = System.Net.IPNetwork;

namespace Leaderboard.Api.Http;

/// <summary>
/// Client addresses behind proxies: <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are taken
/// only from a connection whose address lies in <c>Leaderboard:TrustedProxies</c> (comma-separated
/// addresses or CIDR blocks), one hop: the address the trusted proxy saw. Anyone else's forwarded
/// headers are ignored, so a client cannot choose the address it is rate limited by. Default:
/// loopback, which is where the AppHost's proxy connects from; the published manifests trust the
/// ingress controller's pod network instead.
/// </summary>
public static class TrustedProxies
{
    public const string Key = "Leaderboard:TrustedProxies";

    public const string Default = "127.0.0.0/8,::1/128";

    public static IHostApplicationBuilder AddTrustedProxies(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        var networks = Parse(builder.Configuration[Key] ?? Default);
        // Configure runs after ASP.NET Core's own setup for ASPNETCORE_FORWARDEDHEADERS_ENABLED,
        // which trusts every address: whichever middleware applies these options trusts only these.
        builder.Services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            options.ForwardLimit = 1;
            options.KnownIPNetworks.Clear();
            options.KnownProxies.Clear();
            foreach (var network in networks)
            {
                options.KnownIPNetworks.Add(network);
            }
        });

        return builder;
    }

    /// <summary>The networks of a <c>Leaderboard:TrustedProxies</c> value; a bare address is a network of one.</summary>
    /// <exception cref="InvalidOperationException">An entry is neither an address nor a CIDR block.</exception>
    public static IReadOnlyList<IPNetwork> Parse(string value) =>
        [.. value.Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(entry =>
            IPNetwork.TryParse(entry, out var network) ? network
            : IPAddress.TryParse(entry, out var address) ? new IPNetwork(address, address.GetAddressBytes().Length * 8)
            : throw new InvalidOperationException($"{Key} holds '{entry}', which is neither an IP address nor a CIDR block (e.g. 10.0.0.0/8)."))];
}
