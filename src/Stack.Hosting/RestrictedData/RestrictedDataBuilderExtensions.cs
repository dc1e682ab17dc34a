using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Pipelines;
using Stack.Hosting.RestrictedData;

namespace Aspire.Hosting;

/// <summary>Declares data the games must never reach, so the graph itself proves they do not.</summary>
public static class RestrictedDataBuilderExtensions
{
    /// <summary>Adds a database that lives outside this graph, known by its address.</summary>
    public static IResourceBuilder<ExternalDatabaseResource> AddExternalDatabase(this IDistributedApplicationBuilder builder, [ResourceName] string name, string host, int port, string database)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(host);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(port);
        ArgumentException.ThrowIfNullOrEmpty(database);

        return builder.AddResource(new ExternalDatabaseResource(name, host, port, database))
            .ExcludeFromManifest()
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "ExternalDatabase",
                State = new ResourceStateSnapshot("External", KnownResourceStateStyles.Info),
                Properties = [new("external.host", host), new("external.port", port), new("external.database", database)],
            });
    }

    /// <summary>
    /// Marks the resource as holding <paramref name="classification"/> data (e.g. <c>payments</c>).
    /// A <c>WithReference</c> to it from anything in the graph stops the AppHost, in run and
    /// publish mode, with one message naming both resources; the publisher never opens a network
    /// path to it.
    /// </summary>
    public static IResourceBuilder<T> WithRestrictedData<T>(this IResourceBuilder<T> builder, string classification)
        where T : IResource
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(classification);

        var firstRestriction = !builder.ApplicationBuilder.Resources.Any(r => r.HasAnnotationOfType<RestrictedDataAnnotation>());
        builder.WithAnnotation(new RestrictedDataAnnotation(classification), ResourceAnnotationMutationBehavior.Replace);
        if (firstRestriction)
        {
            // The graph is complete only once the AppHost runs: run mode checks before anything
            // starts, publish before any publish step writes a file.
            builder.ApplicationBuilder.Eventing.Subscribe<BeforeStartEvent>((@event, _) =>
            {
                RestrictedDataRules.Validate(@event.Model);
                return Task.CompletedTask;
            });
            builder.ApplicationBuilder.Pipeline.AddStep(
                RestrictedDataRules.PublishCheckStep,
                context =>
                {
                    RestrictedDataRules.Validate(context.Model);
                    return Task.CompletedTask;
                },
                requiredBy: WellKnownPipelineSteps.PublishPrereq);
        }

        return builder;
    }
}
