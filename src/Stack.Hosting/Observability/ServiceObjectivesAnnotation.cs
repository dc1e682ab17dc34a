using Aspire.Hosting.ApplicationModel;

namespace Stack.Hosting.Observability;

/// <summary>The objectives a resource declared with <c>WithServiceObjectives</c>; without it, <see cref="ServiceObjectives.Default"/>.</summary>
internal sealed class ServiceObjectivesAnnotation(ServiceObjectives objectives) : IResourceAnnotation
{
    public ServiceObjectives Objectives { get; } = objectives;

    /// <summary>The objectives of <paramref name="resource"/>.</summary>
    public static ServiceObjectives Of(IResource resource) =>
        resource.TryGetLastAnnotation<ServiceObjectivesAnnotation>(out var annotation) ? annotation.Objectives : ServiceObjectives.Default;

    /// <summary>The extra dashboard panels of <paramref name="resource"/>.</summary>
    public static IReadOnlyList<DashboardPanel> PanelsOf(IResource resource) =>
        resource.TryGetLastAnnotation<DashboardPanelsAnnotation>(out var annotation) ? annotation.Panels : [];
}
