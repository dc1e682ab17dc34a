using System.Text.Json;
using Stack.Dspy.Modules;
using Stack.Dspy.Signatures;

namespace Stack.Dspy.Optimizers;

/// <summary>
/// What an optimizer chose for a module: its instructions and demonstrations, saved as JSON (committed
/// beside the program) and loaded at run time with <see cref="Predict{TIn, TOut}.With(CompiledProgram{TIn, TOut})"/>.
/// </summary>
/// <param name="Signature">The signature it was compiled for (<see cref="Signature{TIn, TOut}.Name"/>).</param>
/// <param name="WithReasoning">Compiled for <see cref="ChainOfThought{TIn, TOut}"/> (true) or <see cref="Predict{TIn, TOut}"/>.</param>
/// <param name="Instructions">The chosen instructions.</param>
/// <param name="Demos">The chosen demonstrations, in the order shown.</param>
/// <param name="Metric">The metric it was compiled against, with the dev-set score before and after.</param>
public sealed record CompiledProgram<TIn, TOut>(
    string Signature,
    bool WithReasoning,
    string Instructions,
    IReadOnlyList<Demonstration<TIn, TOut>> Demos,
    CompiledMetric? Metric = null)
{
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public void Save(string path) => File.WriteAllText(path, ToJson() + "\n");

    /// <exception cref="FormatException">Not a compiled program of this signature.</exception>
    public static CompiledProgram<TIn, TOut> Parse(string json)
    {
        CompiledProgram<TIn, TOut> program;
        try
        {
            program = JsonSerializer.Deserialize<CompiledProgram<TIn, TOut>>(json, JsonOptions) ?? throw new JsonException("the document is null");
        }
        catch (JsonException exception)
        {
            throw new FormatException($"Not a compiled program: {exception.Message}", exception);
        }

        return program.Signature == Signature<TIn, TOut>.Name
            ? program
            : throw new FormatException($"The program was compiled for '{program.Signature}', not '{Signature<TIn, TOut>.Name}'.");
    }

    public static CompiledProgram<TIn, TOut> Load(string path) => Parse(File.ReadAllText(path));

    public static CompiledProgram<TIn, TOut> Load(Stream stream)
    {
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd());
    }

    private static readonly JsonSerializerOptions JsonOptions = new(StructuredOutput.Options) { WriteIndented = true };
}

/// <summary>The metric a program was compiled against and its dev-set scores.</summary>
public sealed record CompiledMetric(string Name, double Before, double After);
