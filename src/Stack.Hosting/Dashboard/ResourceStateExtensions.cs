using Aspire.Hosting.ApplicationModel;

namespace Stack.Hosting.Dashboard;

/// <summary>How the deploy tooling's dashboard resources report a check: a state and one result property.</summary>
internal static class ResourceStateExtensions
{
    /// <summary>
    /// Shows <paramref name="state"/> in <paramref name="style"/> on <paramref name="resource"/>, and sets
    /// the property <paramref name="property"/> to <paramref name="value"/> (removes it when <see langword="null"/>).
    /// </summary>
    public static Task PublishCheckStateAsync(this ResourceNotificationService notifications, IResource resource, string state, string style, string property, object? value) =>
        notifications.PublishUpdateAsync(resource, snapshot => snapshot with
        {
            State = new ResourceStateSnapshot(state, style),
            Properties = value is null
                ? [.. snapshot.Properties.Where(p => p.Name != property)]
                : [.. snapshot.Properties.Where(p => p.Name != property), new ResourcePropertySnapshot(property, value)],
        });
}
