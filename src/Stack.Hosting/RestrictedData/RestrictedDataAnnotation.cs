using Aspire.Hosting.ApplicationModel;

namespace Stack.Hosting.RestrictedData;

/// <summary>The resource holds data of a restricted classification (e.g. <c>payments</c>): nothing in this graph may reference it.</summary>
/// <param name="Classification">The data classification, also the <c>data-classification</c> label of its pods.</param>
public sealed record RestrictedDataAnnotation(string Classification) : IResourceAnnotation;
