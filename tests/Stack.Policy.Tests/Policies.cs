namespace Stack.Policy.Tests;

/// <summary>The real policies of infra/policies, loaded once for all tests, and a way to check YAML with them.</summary>
internal static class Policies
{
    private static readonly Lazy<PolicySet> s_real = new(() => PolicySet.Load(Repository.Policies));

    public static PolicySet Real => s_real.Value;

    public static PolicyReport Check(string yaml, string source = "test.yaml") => Real.Check(ManifestLoader.Parse(yaml, source));

    /// <summary>A copy of the real policies in a temporary folder, to break or change one of them.</summary>
    public static TemporaryDirectory CopyOfReal() => TemporaryDirectory.CopyOf(Repository.Policies);
}
