using Stack.Hosting.GitOps;

namespace Aspire.Hosting;

/// <summary>The leaderboard API's request guards as the published manifests carry them (README, Guards).</summary>
public static class LeaderboardGuardsExtensions
{
    /// <summary>
    /// The pod networks a cluster's ingress controller may connect from: the private IPv4 ranges, the
    /// shared range some CNIs use, and IPv6 unique-local addresses. The API's NetworkPolicy admits only
    /// the ingress controller's namespace to its port, so within the cluster these mean "the ingress";
    /// an environment that knows its pod CIDR narrows it with
    /// <c>WithSetting(api, "Leaderboard__TrustedProxies", "10.244.0.0/16")</c>.
    /// </summary>
    public const string IngressPodNetworks = "10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,100.64.0.0/10,fd00::/8";

    /// <summary>
    /// Writes the guards into the API's ConfigMap: trusted proxies (the ingress controller) and rate
    /// limits per role (requests per second per replica). Each environment changes any of them with
    /// <c>WithSetting(...)</c>; the index write budget keeps the service's default (250 ms).
    /// </summary>
    public static KubernetesWorkloadSettings WithLeaderboardGuards(this KubernetesWorkloadSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);

        settings.Environment["Leaderboard__TrustedProxies"] = IngressPodNetworks;
        settings.Environment["Leaderboard__RateLimits__Anonymous"] = "20";
        settings.Environment["Leaderboard__RateLimits__Server"] = "10000";
        settings.Environment["Leaderboard__RateLimits__Admin"] = "1000";
        return settings;
    }
}
