using System.Globalization;
using System.Text.RegularExpressions;
using Antlr4.Runtime;
using Antlr4.Runtime.Tree;
using Cel;
using Cel.Internal;

namespace Stack.Policy.Tests.Mutation;

/// <summary>One textual change to a CEL expression: what changed (whitespace collapsed), and the whole mutated expression.</summary>
internal sealed record CelMutant(string Description, string Text);

/// <summary>
/// The small, meaningful mistakes a person could make in a condition, made one at a time in the
/// text of a CEL expression, at the token positions of the Cel package's ANTLR parse tree:
/// <list type="bullet">
/// <item>drop one operand of each <c>&amp;&amp;</c> and <c>||</c>, top-level or nested;</item>
/// <item>un-negate each <c>!x</c>; negate each other condition (an operand of <c>&amp;&amp;</c> or <c>||</c>, the
/// predicate of <c>filter</c>/<c>exists</c>/<c>all</c>, the test of <c>? :</c>, an <c>in</c> check, a whole
/// validation or matchCondition);</item>
/// <item>flip each comparison (<c>==</c>/<c>!=</c>, <c>&lt;</c>/<c>&gt;=</c>, <c>&gt;</c>/<c>&lt;=</c>) and move the integer it compares with by one;</item>
/// <item>swap <c>startsWith</c>/<c>endsWith</c>/<c>contains</c> and <c>exists</c>/<c>all</c>.</item>
/// </list>
/// A comparison is flipped rather than negated, and a negation removed rather than doubled, so one
/// mistake is not made twice under two names.
/// </summary>
internal sealed partial class CelMutants
{
    private const int DescriptionLength = 70;

    private static readonly Dictionary<string, string> FlippedComparisons = new(StringComparer.Ordinal)
    {
        ["=="] = "!=", ["!="] = "==", ["<"] = ">=", [">="] = "<", [">"] = "<=", ["<="] = ">",
    };

    private static readonly Dictionary<string, string[]> SwappedCalls = new(StringComparer.Ordinal)
    {
        ["startsWith"] = ["endsWith", "contains"],
        ["endsWith"] = ["startsWith", "contains"],
        ["contains"] = ["startsWith", "endsWith"],
        ["exists"] = ["all"],
        ["all"] = ["exists"],
    };

    private static readonly HashSet<string> Macros = new(StringComparer.Ordinal) { "filter", "exists", "all", "exists_one" };

    private readonly string _expression;
    private readonly List<(int Start, int Stop, string Replacement, string Description)> _edits = [];

    private CelMutants(string expression) => _expression = expression;

    /// <summary>
    /// Every mutant of <paramref name="expression"/>, each distinct and different from it.
    /// <paramref name="isCondition"/>: the whole expression is a condition (a validation or a
    /// matchCondition), so it is negated too. Descriptions that would repeat are numbered.
    /// </summary>
    /// <exception cref="CelException">The expression does not parse.</exception>
    public static IReadOnlyList<CelMutant> Of(string expression, bool isCondition)
    {
        var tree = new CelEnvironment(null, null).Parse(expression);
        var mutants = new CelMutants(expression);
        if (isCondition)
        {
            mutants.Negate(tree.e);
        }

        mutants.Visit(tree);
        return mutants.Distinct();
    }

    private void Visit(IParseTree node)
    {
        switch (node)
        {
            case CelParser.ConditionalOrContext { _ops.Count: > 0 } or:
                DropAndNegateOperands([or.e, .. or._e1]);
                break;
            case CelParser.ConditionalAndContext { _ops.Count: > 0 } and:
                DropAndNegateOperands([and.e, .. and._e1]);
                break;
            case CelParser.ExprContext { op: not null } ternary:
                Negate(ternary.e);
                break;
            case CelParser.LogicalNotContext not:
                Edit(not._ops[0].StartIndex, not._ops[0].StopIndex, "", not);
                break;
            case CelParser.RelationContext { op: not null } relation when FlippedComparisons.TryGetValue(relation.op.Text, out var flipped):
                Edit(relation.op.StartIndex, relation.op.StopIndex, flipped, relation);
                foreach (var literal in relation.children.OfType<CelParser.RelationContext>().Select(Unwrap).OfType<CelParser.IntContext>().Where(literal => literal.sign is null))
                {
                    var moved = (long.Parse(literal.tok.Text, CultureInfo.InvariantCulture) + 1).ToString(CultureInfo.InvariantCulture);
                    Edit(literal.tok.StartIndex, literal.tok.StopIndex, moved, relation);
                }

                break;
            case CelParser.RelationContext { op.Text: "in" } membership:
                Negate(membership);
                break;
            case CelParser.MemberCallContext call:
                foreach (var swap in SwappedCalls.GetValueOrDefault(call.id.Text) ?? [])
                {
                    Edit(call.id.StartIndex, call.id.StopIndex, swap, call);
                }

                if (Macros.Contains(call.id.Text) && call.args?._e is [_, var predicate])
                {
                    Negate(predicate);
                }

                break;
        }

        for (var i = 0; i < node.ChildCount; i++)
        {
            Visit(node.GetChild(i));
        }
    }

    private void DropAndNegateOperands(IReadOnlyList<ParserRuleContext> operands)
    {
        for (var i = 0; i < operands.Count; i++)
        {
            // The first operand goes with the operator after it; any other with the operator before it.
            var (start, stop) = i == 0
                ? (operands[0].Start.StartIndex, operands[1].Start.StartIndex - 1)
                : (operands[i - 1].Stop.StopIndex + 1, operands[i].Stop.StopIndex);
            _edits.Add((start, stop, "", $"drop {Short(Text(operands[i]))}"));
            Negate(operands[i]);
        }
    }

    /// <summary>Negates a condition, unless another mutation already does: a comparison is flipped, a negation removed.</summary>
    private void Negate(ParserRuleContext condition)
    {
        var inner = Unwrap(condition);
        if (inner is CelParser.LogicalNotContext || (inner is CelParser.RelationContext { op: not null } relation && FlippedComparisons.ContainsKey(relation.op.Text)))
        {
            return;
        }

        Edit(condition.Start.StartIndex, condition.Stop.StopIndex, $"!({Text(condition)})", condition);
    }

    /// <summary>Replaces [start, stop] with <paramref name="replacement"/>, described as the change to <paramref name="context"/>.</summary>
    private void Edit(int start, int stop, string replacement, ParserRuleContext context)
    {
        var before = Text(context);
        var offset = context.Start.StartIndex;
        var after = before[..(start - offset)] + replacement + before[(stop + 1 - offset)..];
        _edits.Add((start, stop, replacement, $"{Short(before)} → {Short(after)}"));
    }

    private List<CelMutant> Distinct()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal) { _expression };
        var described = new Dictionary<string, int>(StringComparer.Ordinal);
        var mutants = new List<CelMutant>();
        foreach (var (start, stop, replacement, description) in _edits.OrderBy(edit => edit.Start).ThenBy(edit => edit.Stop))
        {
            var text = _expression[..start] + replacement + _expression[(stop + 1)..];
            if (seen.Add(text))
            {
                var count = described[description] = described.GetValueOrDefault(description) + 1;
                mutants.Add(new CelMutant(count == 1 ? description : $"{description} (#{count})", text));
            }
        }

        return mutants;
    }

    private string Text(ParserRuleContext context) => _expression[context.Start.StartIndex..(context.Stop.StopIndex + 1)];

    /// <summary>The node under the single-child wrappers the grammar puts around every expression.</summary>
    private static IParseTree Unwrap(IParseTree node)
    {
        while (node.ChildCount == 1 && node.GetChild(0) is ParserRuleContext child)
        {
            node = child;
        }

        return node;
    }

    private static string Short(string text)
    {
        var line = Whitespace().Replace(text, " ").Trim();
        return line.Length <= DescriptionLength ? line : line[..(DescriptionLength - 1)] + "…";
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
