using Stack.Policy.Tests.Mutation;

namespace Stack.Policy.Tests;

/// <summary>
/// The fixtures pin every condition of the policies: each small mistake in a policy's CEL (see
/// <see cref="CelMutants"/>) changes the verdict on some fixture, unless no manifest could ever tell
/// the mistake apart, and then it is listed, with its reason, in Mutation/equivalent-mutants.txt.
/// </summary>
public sealed class PolicyMutationTests
{
    private static readonly string AllowListPath = Path.Combine(Repository.Root, "tests", "Stack.Policy.Tests", "Mutation", "equivalent-mutants.txt");

    // One run (about 10 s) for every test of the class: fixtures and policies are read once.
    private static readonly Lazy<IReadOnlyList<PolicyMutant>> s_mutants = new(() => PolicyMutationHarness.Run(Repository.Policies, Repository.Fixtures));

    [Fact]
    public void EveryMutantOfAPolicyConditionChangesTheVerdictOnSomeFixture()
    {
        var mutants = s_mutants.Value;
        var equivalent = EquivalentMutants();
        var survivors = mutants.Where(mutant => mutant.KilledBy is null).ToList();
        var killed = mutants.Count - survivors.Count;

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"Policy mutation score: {killed}/{mutants.Count} killed ({100.0 * killed / mutants.Count:0.0}%), {survivors.Count(s => equivalent.ContainsKey(s.Id))} equivalent (allow-listed)");
        foreach (var policy in mutants.GroupBy(mutant => mutant.Policy))
        {
            TestContext.Current.TestOutputHelper?.WriteLine($"  {policy.Key}: {policy.Count(mutant => mutant.KilledBy is not null)}/{policy.Count()}");
        }

        var unexplained = survivors.Where(survivor => !equivalent.ContainsKey(survivor.Id)).Select(survivor => survivor.Id).ToList();
        var stale = equivalent.Keys.Where(id => !survivors.Any(survivor => survivor.Id == id)).ToList();
        Assert.True(
            unexplained.Count == 0 && stale.Count == 0,
            $"Mutants no fixture kills (add a fixture that tells each apart):\n  {string.Join("\n  ", unexplained)}\n"
            + $"Allow-listed as equivalent but killed or no longer made (remove from {Path.GetFileName(AllowListPath)}):\n  {string.Join("\n  ", stale)}");
    }

    [Theory]
    [InlineData("stack-allowed-registries", "variables.foreign", "c.image.startsWith(r) → c.image.contains(r)", "Failing/stack-allowed-registries/rollout-registry-in-the-middle.yaml")]
    [InlineData("stack-payments-isolation", "variables.paymentsPodsByExpression", "drop p.podSelector.matchExpressions.exists(e, e.key == 'data-classificatio…", "Passing/networkpolicy.yaml")]
    public void TheMutantsThatOnceSurvivedAreKilledByTheFixtureMadeForThem(string policy, string expression, string mutation, string fixture)
    {
        var mutant = Assert.Single(s_mutants.Value, mutant => (mutant.Policy, mutant.Expression, mutant.Mutation) == (policy, expression, mutation));

        Assert.Equal(fixture, mutant.KilledBy);
    }

    /// <summary>The allow-list: "policy | expression | mutation | reason" per line, # for comments.</summary>
    private static Dictionary<string, string> EquivalentMutants() =>
        File.ReadLines(AllowListPath)
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split(" | "))
            .ToDictionary(fields => string.Join(" | ", fields[..3]), fields => fields[3]);
}
