using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Stack.Hosting.Dashboard;
using Stack.Hosting.GitOps;
using Stack.Hosting.Policy;
using Stack.Policy;

namespace Aspire.Hosting;

/// <summary>The policy gate in the dashboard: checks the committed overlays against the admission policies.</summary>
public static class PolicyGateBuilderExtensions
{
    /// <summary>Name of the command, for <c>ResourceCommandService</c>.</summary>
    public const string CommandName = "check-policies";

    private const string ViolationsProperty = "policy.violations";

    /// <summary>State after a check that found nothing.</summary>
    public const string PassedState = "Passed";

    /// <summary>State after a check that found violations or unusable input.</summary>
    public const string FailedState = "Violations";

    /// <summary>
    /// Adds the policy gate: in run mode a dashboard resource that checks every overlay of
    /// <paramref name="environment"/>'s committed tree against the policies it ships
    /// (<c>WithPolicies</c>) when the AppHost starts and whenever its "Check policies" command runs.
    /// Publish runs the same gate on the tree it renders.
    /// </summary>
    public static IResourceBuilder<PolicyGateResource> AddPolicyGate(this IDistributedApplicationBuilder builder, [ResourceName] string name, IResourceBuilder<GitOpsEnvironmentResource> environment)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(environment);

        var resource = new PolicyGateResource(name, environment.Resource);
        var policiesPath = environment.Resource.PoliciesPath ?? throw new InvalidOperationException($"The GitOps environment '{environment.Resource.Name}' has no policies: call WithPolicies(...) on it before AddPolicyGate.");
        var deployPath = environment.Resource.RepositoryPath;
        var gate = builder.AddResource(resource)
            .ExcludeFromManifest()
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "PolicyGate",
                State = new ResourceStateSnapshot("Not checked", KnownResourceStateStyles.Info),
                Properties = [new("policy.policies", policiesPath), new("policy.deploy", deployPath)],
            })
            .WithCommand(
                CommandName,
                "Check policies",
                context => CheckAsync(resource, context.Services),
                new CommandOptions
                {
                    Description = $"Render every overlay of {deployPath} with kubectl kustomize and check it against the admission policies in {policiesPath}.",
                    IconName = "ShieldCheckmark",
                    IsHighlighted = true,
                });

        // The verdict is on the dashboard from the start, without anyone pressing the button.
        builder.Eventing.Subscribe<InitializeResourceEvent>(resource, (@event, cancellationToken) =>
        {
            var services = @event.Services;
            _ = Task.Run(() => CheckAsync(resource, services), CancellationToken.None);
            return Task.CompletedTask;
        });

        return gate;
    }

    private static async Task<ExecuteCommandResult> CheckAsync(PolicyGateResource gate, IServiceProvider services)
    {
        var notifications = services.GetRequiredService<ResourceNotificationService>();
        var logger = services.GetRequiredService<ResourceLoggerService>().GetLogger(gate);
        logger.LogInformation("Checking the overlays of {Deploy} against {Policies}", gate.DeployDirectory, gate.PoliciesDirectory);
        await notifications.PublishCheckStateAsync(gate, "Checking", KnownResourceStateStyles.Info, ViolationsProperty, 0);

        PolicyGateResult result;
        try
        {
            result = await Task.Run(() => PolicyGate.Check(gate.PoliciesDirectory, gate.DeployDirectory));
        }
        catch (Exception exception) when (exception is PolicyLoadException or DirectoryNotFoundException or IOException)
        {
            logger.LogError("The policies cannot be used: {Message}", exception.Message);
            await notifications.PublishCheckStateAsync(gate, FailedState, KnownResourceStateStyles.Error, ViolationsProperty, 0);
            return CommandResults.Failure(exception.Message);
        }

        foreach (var line in result.Describe())
        {
            logger.LogWarning("{Violation}", line);
        }

        var objects = result.Overlays.Values.Sum(r => r.ObjectsChecked);
        if (result.Passed)
        {
            logger.LogInformation("Passed: {Objects} objects in {Environments} environments, no violations", objects, result.Overlays.Count);
            await notifications.PublishCheckStateAsync(gate, PassedState, KnownResourceStateStyles.Success, ViolationsProperty, 0);
            return CommandResults.Success();
        }

        var message = $"{result.Summary} in {string.Join(", ", result.Overlays.Where(o => !o.Value.Passed).Select(o => o.Key))}; see the gate's logs.";
        logger.LogError("{Message}", message);
        await notifications.PublishCheckStateAsync(gate, FailedState, KnownResourceStateStyles.Error, ViolationsProperty, result.ViolationCount);
        return CommandResults.Failure(message);
    }
}
