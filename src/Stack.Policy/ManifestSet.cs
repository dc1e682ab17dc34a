namespace Stack.Policy;

/// <summary>What reading some paths yielded: the objects, and the problems that kept others from being read.</summary>
public sealed record ManifestSet(IReadOnlyList<Manifest> Manifests, IReadOnlyList<ManifestProblem> Problems)
{
    public static ManifestSet Empty { get; } = new([], []);

    public ManifestSet Concat(ManifestSet other) =>
        new([.. Manifests, .. other.Manifests], [.. Problems, .. other.Problems]);
}
