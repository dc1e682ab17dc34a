namespace Stack.Hosting.GitOps;

/// <summary>
/// A DNS server the pods of an environment may send lookups to, opened by the namespace's
/// <c>allow-dns</c> NetworkPolicy: pods of a namespace (kube-dns, another distribution's DNS) or
/// an address (NodeLocal DNSCache listens on a link-local address on every node).
/// </summary>
public sealed record DnsPeer
{
    private DnsPeer(string? @namespace, IReadOnlyDictionary<string, string>? podLabels, string? cidr, int port)
    {
        Namespace = @namespace;
        PodLabels = podLabels;
        Cidr = cidr;
        Port = port;
    }

    /// <summary>The namespace of the DNS pods, for a pod peer.</summary>
    public string? Namespace { get; }

    /// <summary>The DNS pods' labels, for a pod peer.</summary>
    public IReadOnlyDictionary<string, string>? PodLabels { get; }

    /// <summary>The address block, for an address peer.</summary>
    public string? Cidr { get; }

    /// <summary>The port lookups go to (UDP and TCP), as the DNS pods listen on it.</summary>
    public int Port { get; }

    /// <summary>The cluster's kube-dns (CoreDNS) in kube-system: the default.</summary>
    public static DnsPeer KubeDns() => Pods("kube-system", new Dictionary<string, string> { ["k8s-app"] = "kube-dns" });

    /// <summary>DNS pods labelled <paramref name="podLabels"/> in <paramref name="namespace"/>, listening on <paramref name="port"/>.</summary>
    public static DnsPeer Pods(string @namespace, IReadOnlyDictionary<string, string> podLabels, int port = 53)
    {
        ArgumentException.ThrowIfNullOrEmpty(@namespace);
        ArgumentNullException.ThrowIfNull(podLabels);
        ArgumentOutOfRangeException.ThrowIfZero(podLabels.Count);
        return new DnsPeer(@namespace, new SortedDictionary<string, string>(podLabels.ToDictionary(), StringComparer.Ordinal), null, port);
    }

    /// <summary>NodeLocal DNSCache at <paramref name="address"/> (its usual link-local address by default).</summary>
    public static DnsPeer NodeLocal(string address = "169.254.20.10")
    {
        ArgumentException.ThrowIfNullOrEmpty(address);
        if (!System.Net.IPAddress.TryParse(address, out var ip) || ip.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
        {
            throw new ArgumentException($"'{address}' is not an IPv4 address.", nameof(address));
        }

        return new DnsPeer(null, null, $"{address}/32", 53);
    }
}
