using Stack.Policy.Tests.Mutation;

namespace Stack.Policy.Tests;

/// <summary>The mistakes the policy mutation harness makes in a CEL expression, one at a time.</summary>
public sealed class CelMutantsTests
{
    [Fact]
    public void EachOperandOfAndAndOrIsDroppedAndNegatedInTurn()
    {
        AssertMutants(
            "a && b || c", isCondition: false,
            "c", "a && b", "b || c", "a || c", "!(a && b) || c", "a && b || !(c)", "!(a) && b || c", "a && !(b) || c");
    }

    [Fact]
    public void ANegationIsRemovedAndAnyOtherConditionNegated()
    {
        AssertMutants("!has(x.y)", isCondition: true, "has(x.y)");
        AssertMutants("has(x.y)", isCondition: true, "!(has(x.y))");
        AssertMutants("has(x.y)", isCondition: false);
    }

    [Fact]
    public void AComparisonIsFlippedAndTheIntegerItComparesWithMoved()
    {
        AssertMutants("size(l) == 0", isCondition: true, "size(l) != 0", "size(l) == 1");
        AssertMutants("a < b", isCondition: false, "a >= b");
        AssertMutants("a >= b", isCondition: false, "a < b");
        AssertMutants("a > b", isCondition: false, "a <= b");
        AssertMutants("a <= b", isCondition: false, "a > b");
        AssertMutants("a != -1", isCondition: false, "a == -1");
    }

    [Fact]
    public void AnInCheckIsNegated()
    {
        AssertMutants("'k' in m", isCondition: true, "!('k' in m)");
    }

    [Fact]
    public void StringMatchersAndQuantifiersAreSwappedAndPredicatesNegated()
    {
        AssertMutants("s.startsWith(p)", isCondition: false, "s.endsWith(p)", "s.contains(p)");
        AssertMutants(
            "l.exists(e, e.contains(p))", isCondition: false,
            "l.all(e, e.contains(p))", "l.exists(e, !(e.contains(p)))", "l.exists(e, e.startsWith(p))", "l.exists(e, e.endsWith(p))");
        AssertMutants("l.filter(e, has(e.x))", isCondition: false, "l.filter(e, !(has(e.x)))");
        AssertMutants("l.map(e, e.x)", isCondition: false);
    }

    [Fact]
    public void TheTestOfAConditionalIsNegated()
    {
        AssertMutants("has(p.d) ? p.d : []", isCondition: false, "!(has(p.d)) ? p.d : []");
    }

    [Fact]
    public void EachMutantIsDescribedByTheChangeItMakes()
    {
        Assert.Equal(
            new[]
            {
                "drop has(c.image)", "has(c.image) → !(has(c.image))",
                "drop !c.image.contains('@')", "!c.image.contains('@') → c.image.contains('@')",
                "c.image.contains('@') → c.image.startsWith('@')", "c.image.contains('@') → c.image.endsWith('@')",
            }.Order(StringComparer.Ordinal),
            CelMutants.Of("has(c.image) && !c.image.contains('@')", isCondition: false).Select(mutant => mutant.Description).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ALongChangeIsShortenedAndARepeatedOneNumbered()
    {
        var descriptions = CelMutants.Of("has(a." + new string('a', 74) + ") && x == 1 && x == 1", isCondition: false)
            .Select(mutant => mutant.Description)
            .ToList();

        // The operand is 81 characters: its first 69 and an ellipsis make 70.
        Assert.Contains("drop has(a." + new string('a', 63) + "…", descriptions);
        Assert.Contains("drop x == 1", descriptions);
        Assert.Contains("x == 1 → x == 2", descriptions);
        Assert.Contains("x == 1 → x != 1", descriptions);
        Assert.Contains("x == 1 → x != 1 (#2)", descriptions);
        Assert.Equal(descriptions.Count, descriptions.Distinct().Count());
    }

    private static void AssertMutants(string expression, bool isCondition, params string[] expected) =>
        Assert.Equal(expected.Order(StringComparer.Ordinal), CelMutants.Of(expression, isCondition).Select(mutant => mutant.Text).Order(StringComparer.Ordinal));
}
