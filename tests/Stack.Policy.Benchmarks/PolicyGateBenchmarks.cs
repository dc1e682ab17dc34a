using BenchmarkDotNet.Attributes;

namespace Stack.Policy.Benchmarks;

/// <summary>
/// What the gate costs in CI and in publish: loading (compiling) the policies, judging a tree of
/// manifests already read, and the whole run over the infra/ tree (every overlay of infra/deploy
/// and infra/policies rendered with kubectl kustomize, the Argo CD applications) plus the test
/// fixtures. The goal: the whole tree well under 2 s.
/// </summary>
[MemoryDiagnoser]
public class PolicyGateBenchmarks
{
    private static readonly string Root = FindRoot();
    private static readonly string Policies = Path.Combine(Root, "infra", "policies");
    private static readonly string[] Tree =
    [
        .. Directory.GetDirectories(Path.Combine(Root, "infra", "deploy", "overlays")).Order(StringComparer.Ordinal),
        Path.Combine(Root, "infra", "deploy", "argocd"),
        Policies,
        Path.Combine(Root, "tests", "Stack.Policy.Tests", "Fixtures"),
    ];

    private PolicySet _policies = null!;
    private ManifestSet _manifests = null!;

    [GlobalSetup]
    public void Setup()
    {
        _policies = PolicySet.Load(Policies);
        _manifests = ManifestLoader.Load(Tree);
    }

    [Benchmark(Description = "Load and compile infra/policies")]
    public PolicySet LoadPolicies() => PolicySet.Load(Policies);

    [Benchmark(Description = "Check the tree's objects (already read)")]
    public PolicyReport CheckObjects() => _policies.Check(_manifests);

    [Benchmark(Description = "Whole gate: load policies, read and render the tree, check")]
    public PolicyReport WholeGate() => PolicySet.Load(Policies).Check(ManifestLoader.Load(Tree));

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Stack.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Run the benchmarks from inside the repository.");
    }
}
