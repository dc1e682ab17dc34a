using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Stack.Policy.Evaluation;

/// <summary>
/// The names one evaluation sees: object, oldObject, params, request, namespaceObject, and the
/// policy's variables. Variables are computed on first use and kept for the rest of the object's
/// evaluation, as the API server does, so a variable a validation never reads never runs.
/// The Cel package asks for <c>variables.name</c> as one dotted name; only lookups are supported.
/// </summary>
internal sealed class Activation : IDictionary<string, object?>
{
    private const string VariablePrefix = "variables.";

    private readonly Dictionary<string, object?> _values;
    private readonly IReadOnlyDictionary<string, CompiledExpression> _variables;
    private readonly Dictionary<string, object?> _computed = new(StringComparer.Ordinal);
    private readonly HashSet<string> _computing = new(StringComparer.Ordinal);

    public Activation(Dictionary<string, object?> values, IReadOnlyDictionary<string, CompiledExpression> variables)
    {
        _values = values;
        _variables = variables;
    }

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out object? value)
    {
        if (_values.TryGetValue(key, out value))
        {
            return true;
        }

        if (key.StartsWith(VariablePrefix, StringComparison.Ordinal) && _variables.TryGetValue(key[VariablePrefix.Length..], out var expression))
        {
            value = Variable(key[VariablePrefix.Length..], expression);
            return true;
        }

        value = null;
        return false;
    }

    private object? Variable(string name, CompiledExpression expression)
    {
        if (_computed.TryGetValue(name, out var known))
        {
            return known;
        }

        if (!_computing.Add(name))
        {
            throw new EvaluationException($"variable '{name}' refers to itself");
        }

        try
        {
            return _computed[name] = expression.Evaluate(this);
        }
        catch (EvaluationException exception)
        {
            throw new EvaluationException($"variable '{name}': {exception.Message}", exception);
        }
        finally
        {
            _computing.Remove(name);
        }
    }

    public object? this[string key]
    {
        get => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);
        set => throw new NotSupportedException();
    }

    public bool ContainsKey(string key) => TryGetValue(key, out _);

    public ICollection<string> Keys => throw new NotSupportedException();

    public ICollection<object?> Values => throw new NotSupportedException();

    public int Count => throw new NotSupportedException();

    public bool IsReadOnly => throw new NotSupportedException();

    public void Add(string key, object? value) => throw new NotSupportedException();

    public void Add(KeyValuePair<string, object?> item) => throw new NotSupportedException();

    public void Clear() => throw new NotSupportedException();

    public bool Contains(KeyValuePair<string, object?> item) => throw new NotSupportedException();

    public void CopyTo(KeyValuePair<string, object?>[] array, int arrayIndex) => throw new NotSupportedException();

    public bool Remove(string key) => throw new NotSupportedException();

    public bool Remove(KeyValuePair<string, object?> item) => throw new NotSupportedException();

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => throw new NotSupportedException();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
