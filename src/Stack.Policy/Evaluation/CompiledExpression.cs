using Cel;
using Cel.Internal;

namespace Stack.Policy.Evaluation;

/// <summary>One CEL expression, parsed and checked once, evaluated for many objects.</summary>
internal sealed class CompiledExpression
{
    /// <summary>The Cel package returns (rather than throws) this internal marker for a missing map key.</summary>
    public const string NoSuchFieldTypeName = "Cel.Internal.CelNoSuchField";

    private readonly CelProgramDelegate _program;

    private CompiledExpression(string text, CelProgramDelegate program)
    {
        Text = text;
        _program = program;
    }

    public string Text { get; }

    /// <summary>Compiles <paramref name="text"/>; a parse error or an unsupported construct throws, naming the policy and the expression.</summary>
    public static CompiledExpression Compile(CelEnvironment environment, string text, string policy)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new PolicyLoadException("an expression is empty", policy);
        }

        CelParser.StartContext tree;
        try
        {
            tree = environment.Parse(text);
        }
        catch (Exception exception) when (exception is CelException or ArgumentException)
        {
            throw new PolicyLoadException($"CEL does not compile ({FirstLine(exception.Message)})", policy, text, exception);
        }

        if (ExpressionCheck.Problem(tree) is { } problem)
        {
            throw new PolicyLoadException($"CEL does not compile ({problem})", policy, text);
        }

        return new CompiledExpression(text, environment.Compile(tree));
    }

    /// <summary>The value for one activation; any failure becomes an <see cref="EvaluationException"/>.</summary>
    public object? Evaluate(Activation activation)
    {
        object? result;
        try
        {
            result = _program(activation);
        }
        catch (EvaluationException)
        {
            throw;
        }
        catch (Exception exception)
        {
            throw new EvaluationException(FirstLine(exception.Message), exception);
        }

        if (result?.GetType().FullName == NoSuchFieldTypeName)
        {
            throw new EvaluationException((string)result.GetType().GetProperty("Message")!.GetValue(result)!);
        }

        return result;
    }

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();
}
