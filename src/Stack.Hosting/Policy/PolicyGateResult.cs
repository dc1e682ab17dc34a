using Stack.Policy;

namespace Stack.Hosting.Policy;

/// <summary>What the gate found, per overlay (environment).</summary>
public sealed record PolicyGateResult(IReadOnlyDictionary<string, PolicyReport> Overlays)
{
    /// <summary>At least one overlay was judged, and none has a violation or an input problem.</summary>
    public bool Passed => Overlays.Count > 0 && Overlays.Values.All(r => r.Violations.Count == 0 && r.Problems.Count == 0);

    /// <summary>Violations across overlays.</summary>
    public int ViolationCount => Overlays.Values.Sum(r => r.Violations.Count);

    /// <summary>Input problems (unrenderable overlays, unparsable files) across overlays.</summary>
    public int ProblemCount => Overlays.Values.Sum(r => r.Problems.Count);

    /// <summary>The counts in words, e.g. <c>3 violations, 0 input problems</c>.</summary>
    public string Summary => $"{ViolationCount} violation{(ViolationCount == 1 ? "" : "s")}, {ProblemCount} input problem{(ProblemCount == 1 ? "" : "s")}";

    /// <summary>One line per violation or problem, naming the environment, e.g. <c>prod: stack-image-tags Deployment/api ...: message</c>.</summary>
    public IEnumerable<string> Describe()
    {
        if (Overlays.Count == 0)
        {
            yield return "no overlays to check";
        }

        foreach (var (environment, report) in Overlays)
        {
            foreach (var problem in report.Problems)
            {
                yield return $"{environment}: {problem.Location}: {problem.Message}";
            }

            foreach (var violation in report.Violations)
            {
                yield return $"{environment}: {violation.Policy} {violation.Object}: {violation.Message}";
            }
        }
    }
}
