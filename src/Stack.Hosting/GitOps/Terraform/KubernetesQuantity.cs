using System.Globalization;
using System.Text.RegularExpressions;

namespace Stack.Hosting.GitOps.Terraform;

/// <summary>
/// Kubernetes quantities (<c>500m</c>, <c>1</c>, <c>512Mi</c>, <c>2G</c>) as the whole numbers a cloud
/// sizes by: Terraform has no parser for them, so the inventory carries numbers.
/// </summary>
internal static partial class KubernetesQuantity
{
    private static readonly Dictionary<string, decimal> Multipliers = new(StringComparer.Ordinal)
    {
        [""] = 1m,
        ["m"] = 0.001m,
        ["k"] = 1e3m,
        ["M"] = 1e6m,
        ["G"] = 1e9m,
        ["T"] = 1e12m,
        ["Ki"] = 1024m,
        ["Mi"] = 1024m * 1024,
        ["Gi"] = 1024m * 1024 * 1024,
        ["Ti"] = 1024m * 1024 * 1024 * 1024,
    };

    /// <summary>CPU in thousandths of a core, rounded up: <c>500m</c> → 500, <c>2</c> → 2000.</summary>
    public static long Millicores(string quantity, string what) => (long)Math.Ceiling(Parse(quantity, what) * 1000m);

    /// <summary>Bytes in mebibytes, rounded up: <c>512Mi</c> → 512, <c>1G</c> → 954.</summary>
    public static long Mebibytes(string quantity, string what) => (long)Math.Ceiling(Parse(quantity, what) / Multipliers["Mi"]);

    /// <summary>Bytes in gibibytes, rounded up: <c>1Gi</c> → 1, <c>500Mi</c> → 1.</summary>
    public static long Gibibytes(string quantity, string what) => (long)Math.Ceiling(Parse(quantity, what) / Multipliers["Gi"]);

    private static decimal Parse(string quantity, string what)
    {
        var match = QuantityPattern().Match(quantity ?? "");
        if (!match.Success || !decimal.TryParse(match.Groups["number"].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number) || number <= 0)
        {
            throw new GitOpsPublishException($"The {what} is '{quantity}', which is not a positive Kubernetes quantity such as 500m, 2, 512Mi or 1Gi.");
        }

        return number * Multipliers[match.Groups["suffix"].Value];
    }

    [GeneratedRegex(@"^(?<number>[0-9]+(\.[0-9]+)?)(?<suffix>m|k|M|G|T|Ki|Mi|Gi|Ti)?$", RegexOptions.CultureInvariant)]
    private static partial Regex QuantityPattern();
}
