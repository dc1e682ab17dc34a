using System.Text.RegularExpressions;

namespace Stack.Cluster.Tests.Policies;

/// <summary>One policy's word on one object: its name and the message it gave.</summary>
internal sealed record PolicyMessage(string Policy, string Message)
{
    public override string ToString() => $"{Policy}: {Message}";
}

/// <summary>What an engine decided about one object: admitted (perhaps with warnings), denied by policies, or refused before any policy judged it.</summary>
internal sealed partial record Verdict(VerdictKind Kind, IReadOnlyList<PolicyMessage> Policies, string? Reason = null)
{
    public static Verdict Admitted(IReadOnlyList<PolicyMessage> warnings) => new(VerdictKind.Admitted, warnings);

    public static Verdict Denied(IReadOnlyList<PolicyMessage> denials) => new(VerdictKind.Denied, denials);

    public static Verdict Refused(string reason) => new(VerdictKind.Refused, [], reason);

    /// <summary>
    /// The API server's verdict, from what <c>kubectl apply --dry-run=server</c> printed. The API
    /// server reports only the first policy that denies; <paramref name="policyName"/> maps the name
    /// it reports back to the name in git (for renamed, isolated copies).
    /// </summary>
    public static Verdict FromKubectl(CommandLine.Result result, Func<string, string> policyName)
    {
        if (result.ExitCode == 0)
        {
            return Admitted([.. WarningPattern().Matches(result.StandardError).Select(match => new PolicyMessage(policyName(match.Groups["policy"].Value), match.Groups["message"].Value.Trim()))]);
        }

        return DenialPattern().Match(result.StandardError) is { Success: true } denial
            ? Denied([new PolicyMessage(policyName(denial.Groups["policy"].Value), denial.Groups["message"].Value.Trim())])
            : Refused(result.StandardError.Trim());
    }

    /// <summary>
    /// Whether the two engines decided alike: both admit (with warnings from the same policies, in
    /// the same words), or the API server's denying policy is one the offline engine names, in the
    /// same words (an expression that could not be evaluated is worded by each engine its own way),
    /// or the offline engine refused to judge at all and the API server does not admit either.
    /// </summary>
    public static bool Agree(Verdict offline, Verdict server) => (offline.Kind, server.Kind) switch
    {
        (VerdictKind.Admitted, VerdictKind.Admitted) =>
            offline.Policies.OrderBy(warning => warning.Policy).Select(warning => warning.ToString())
                .SequenceEqual(server.Policies.OrderBy(warning => warning.Policy).Select(warning => warning.ToString())),
        (VerdictKind.Denied, VerdictKind.Denied) =>
            offline.Policies.Any(denial => denial.Policy == server.Policies[0].Policy && SameWords(denial.Message, server.Policies[0].Message)),
        (VerdictKind.Refused, not VerdictKind.Admitted) => true,
        _ => false,
    };

    private static bool SameWords(string offline, string server) =>
        offline == server
        || (offline.Contains("could not be evaluated", StringComparison.Ordinal) && server.Contains("resulted in error", StringComparison.Ordinal));

    public override string ToString() => Kind switch
    {
        VerdictKind.Admitted when Policies.Count == 0 => "admitted",
        VerdictKind.Admitted => $"admitted with warnings ({string.Join("; ", Policies)})",
        VerdictKind.Denied => $"denied ({string.Join("; ", Policies)})",
        _ => $"refused before any policy judged it ({Reason})",
    };

    [GeneratedRegex(@"ValidatingAdmissionPolicy '(?<policy>[^']+)' with binding '[^']+' denied request: (?<message>.*)")]
    private static partial Regex DenialPattern();

    [GeneratedRegex(@"Validation failed for ValidatingAdmissionPolicy '(?<policy>[^']+)' with binding '[^']+': (?<message>.*)")]
    private static partial Regex WarningPattern();
}

internal enum VerdictKind
{
    Admitted,
    Denied,
    Refused,
}
