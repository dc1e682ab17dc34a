using Microsoft.Extensions.AI;
using Stack.Dspy.Signatures;

namespace Stack.Dspy.Modules;

/// <summary>
/// <see cref="Predict{TIn, TOut}"/> that asks the model to reason step by step first: the reply
/// gains a <c>reasoning</c> field before the signature's outputs, kept in the prediction and in
/// bootstrapped demonstrations.
/// </summary>
public sealed class ChainOfThought<TIn, TOut>(IChatClient client, Signature<TIn, TOut> signature)
    : Predict<TIn, TOut>(client, signature, [], withReasoning: true);
