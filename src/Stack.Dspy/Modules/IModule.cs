namespace Stack.Dspy.Modules;

/// <summary>A step of a program: deterministic code or a language-model call, composed by plain C#.</summary>
public interface IModule<in TIn, TOut>
{
    Task<Prediction<TOut>> InvokeAsync(TIn input, CancellationToken cancellationToken = default);
}
