using System.Text.RegularExpressions;

namespace Stack.Hosting.GitOps;

/// <summary>Kubernetes' naming rules, checked in the AppHost so a bad name fails before any YAML is written.</summary>
internal static partial class KubernetesNames
{
    /// <summary>An RFC 1123 label: namespaces, Service names, overlay folders.</summary>
    public static bool IsDnsLabel(string name) => DnsLabel().IsMatch(name);

    /// <summary>A label written <c>key=value</c>, e.g. <c>release=kube-prometheus-stack</c>.</summary>
    /// <exception cref="ArgumentException">It is not of that form.</exception>
    public static KeyValuePair<string, string> ParseLabel(string label, string parameter)
    {
        var parts = label.Split('=', 2);
        if (parts.Length != 2 || !LabelKey().IsMatch(parts[0]) || !LabelValue().IsMatch(parts[1]))
        {
            throw new ArgumentException($"Label '{label}' must be written key=value, e.g. release=kube-prometheus-stack.", parameter);
        }

        return new(parts[0], parts[1]);
    }

    [GeneratedRegex(@"^([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$")]
    private static partial Regex LabelKey();

    [GeneratedRegex(@"^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$")]
    private static partial Regex LabelValue();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")]
    private static partial Regex DnsLabel();
}
