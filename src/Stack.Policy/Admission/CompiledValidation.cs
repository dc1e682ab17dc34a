using Stack.Policy.Evaluation;

namespace Stack.Policy.Admission;

/// <summary>One entry of a policy's validations: the rule, and how a failure is explained.</summary>
internal sealed record CompiledValidation(CompiledExpression Expression, string? Message, CompiledExpression? MessageExpression);
