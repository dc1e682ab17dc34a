namespace Stack.Dspy.Signatures;

/// <summary>
/// What a language-model step does, as data: typed inputs (<typeparamref name="TIn"/>), typed
/// outputs (<typeparamref name="TOut"/>), both records whose properties carry their descriptions,
/// and the instructions, which an optimizer may replace and a compiled program stores.
/// </summary>
/// <typeparam name="TIn">The input record.</typeparam>
/// <typeparam name="TOut">The output record, parsed from the model's JSON reply.</typeparam>
/// <param name="Instructions">What the model is asked to do with the inputs.</param>
public sealed record Signature<TIn, TOut>(string Instructions)
{
    /// <summary>The input fields, in declaration order.</summary>
    public IReadOnlyList<SignatureField> Inputs { get; } = SignatureField.Of(typeof(TIn));

    /// <summary>The output fields, in declaration order.</summary>
    public IReadOnlyList<SignatureField> Outputs { get; } = SignatureField.Of(typeof(TOut));

    /// <summary>The signature's name, <c>Input -&gt; Output</c>; a compiled program names the signature it was compiled for.</summary>
    public static string Name => $"{typeof(TIn).Name} -> {typeof(TOut).Name}";
}
