namespace Stack.Policy.Tests;

/// <summary>The real policies of infra/policies, loaded once for all tests, and a way to check YAML with them.</summary>
internal static class Policies
{
    private static readonly Lazy<PolicySet> s_real = new(() => PolicySet.Load(Repository.Policies));

    public static PolicySet Real => s_real.Value;

    public static PolicyReport Check(string yaml, string source = "test.yaml") => Real.Check(ManifestLoader.Parse(yaml, source));

    /// <summary>Policies written for one test: the YAML documents in a temporary folder, loaded as the gate loads infra/policies.</summary>
    public static PolicySet Load(params string[] documents)
    {
        using var folder = new TemporaryDirectory();
        File.WriteAllText(Path.Combine(folder.Path, "policies.yaml"), string.Join("\n---\n", documents));
        return PolicySet.Load(folder.Path);
    }

    /// <summary>A copy of the real policies in a temporary folder, to break or change one of them.</summary>
    public static TemporaryDirectory CopyOfReal() => TemporaryDirectory.CopyOf(Repository.Policies);
}
