using Aspire.Hosting.ApplicationModel;

namespace Stack.Hosting.RestrictedData;

/// <summary>Finds references to restricted resources, directly or through a child resource such as a database of a server.</summary>
internal static class RestrictedDataRules
{
    /// <summary>The pipeline step that checks the graph before anything is published.</summary>
    public const string PublishCheckStep = "check-restricted-data";

    /// <summary>Throws, naming both ends, at the first resource that references restricted data.</summary>
    /// <exception cref="InvalidOperationException">A resource references restricted data.</exception>
    public static void Validate(DistributedApplicationModel model)
    {
        foreach (var source in model.Resources.OrderBy(r => r.Name, StringComparer.Ordinal))
        {
            foreach (var reference in source.Annotations.OfType<ResourceRelationshipAnnotation>().Where(r => r.Type == "Reference"))
            {
                for (IResource? target = reference.Resource; target is not null; target = (target as IResourceWithParent)?.Parent)
                {
                    if (target.TryGetLastAnnotation<RestrictedDataAnnotation>(out var restricted))
                    {
                        throw new InvalidOperationException(
                            $"Resource '{source.Name}' references '{target.Name}', which holds restricted {restricted.Classification} data. " +
                            $"Nothing in this graph may reach {restricted.Classification} data: remove the WithReference to '{target.Name}'.");
                    }
                }
            }
        }
    }
}
