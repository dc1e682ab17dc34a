using System.Text.RegularExpressions;

namespace Stack.Hosting.GitOps;

/// <summary>Kubernetes' naming rules, checked in the AppHost so a bad name fails before any YAML is written.</summary>
internal static partial class KubernetesNames
{
    /// <summary>An RFC 1123 label: namespaces, Service names, overlay folders.</summary>
    public static bool IsDnsLabel(string name) => DnsLabel().IsMatch(name);

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")]
    private static partial Regex DnsLabel();
}
