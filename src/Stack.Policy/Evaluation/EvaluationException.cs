namespace Stack.Policy.Evaluation;

/// <summary>An expression that compiled but could not be evaluated for one object (a missing field, a wrong type).</summary>
internal sealed class EvaluationException(string message, Exception? innerException = null) : Exception(message, innerException);
