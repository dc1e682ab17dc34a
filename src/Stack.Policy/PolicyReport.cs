namespace Stack.Policy;

/// <summary>What checking a set of manifests found.</summary>
/// <param name="ObjectsChecked">How many Kubernetes objects were judged.</param>
/// <param name="Violations">Failures of policies bound with Deny: the gate fails.</param>
/// <param name="Warnings">Failures of policies bound only with Warn or Audit: reported, not failing.</param>
/// <param name="Problems">Input that could not be judged at all (per file, with the line).</param>
public sealed record PolicyReport(
    int ObjectsChecked,
    IReadOnlyList<PolicyViolation> Violations,
    IReadOnlyList<PolicyViolation> Warnings,
    IReadOnlyList<ManifestProblem> Problems)
{
    /// <summary>No violation and no problem: every object was judged and admitted.</summary>
    public bool Passed => Violations.Count == 0 && Problems.Count == 0;
}
