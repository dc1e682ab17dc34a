using Antlr4.Runtime.Tree;
using Cel.Internal;

namespace Stack.Policy.Evaluation;

/// <summary>
/// What the Cel package would only discover when an expression runs (an unknown function) or
/// would get silently wrong (the optional syntax, which it parses but does not implement):
/// found once, when the policies load.
/// </summary>
internal static class ExpressionCheck
{
    /// <summary>Why the parsed expression cannot be evaluated offline, or null when it can.</summary>
    public static string? Problem(IParseTree tree)
    {
        switch (tree)
        {
            case CelParser.SelectContext { opt: not null }:
            case CelParser.IndexContext { opt: not null }:
            case CelParser.OptExprContext { opt: not null }:
            case CelParser.OptFieldContext { opt: not null }:
                return "the optional syntax (.?field, [?key], orValue) is not supported offline; use has()";
            case CelParser.MemberCallContext { id.Text: "orValue" or "hasValue" or "or" }:
            case CelParser.IdentOrGlobalCallContext { id.Text: "optional" }:
                return "the optional syntax (.?field, orValue) is not supported offline; use has()";
            case CelParser.MemberCallContext call when !KubernetesCelLibrary.FunctionNames.Contains(call.id.Text):
                return $"unknown function '{call.id.Text}'";
            case CelParser.IdentOrGlobalCallContext { op: not null } call when !KubernetesCelLibrary.FunctionNames.Contains(call.id.Text):
                return $"unknown function '{call.id.Text}'";
        }

        for (var i = 0; i < tree.ChildCount; i++)
        {
            if (Problem(tree.GetChild(i)) is { } problem)
            {
                return problem;
            }
        }

        return null;
    }
}
