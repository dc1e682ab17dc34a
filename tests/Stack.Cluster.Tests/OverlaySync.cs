using System.Text.Json.Nodes;
using Stack.Cluster.Tests.ArgoCd;
using Stack.Cluster.Tests.Kubernetes;
using Stack.Cluster.Tests.Policies;

namespace Stack.Cluster.Tests;

/// <summary>One environment's overlay, synced by a simulated Argo CD into the real cluster, and what was seen after.</summary>
internal sealed class OverlaySync
{
    private OverlaySync(string environment, string @namespace) => (Environment, Namespace) = (environment, @namespace);

    public string Environment { get; }

    /// <summary>The destination namespace, from the ApplicationSet.</summary>
    public string Namespace { get; }

    /// <summary>The first sync, step by step.</summary>
    public SyncReport First { get; private set; } = new();

    /// <summary>The namespace's labels once synced.</summary>
    public IReadOnlyDictionary<string, string> NamespaceLabels { get; private set; } = new Dictionary<string, string>();

    /// <summary>The API server's verdict on a ConfigMap with a secret-looking key in the namespace.</summary>
    public Verdict SecretLookingConfigMap { get; private set; } = Verdict.Refused("not asked");

    /// <summary>The API server's answer to a pod that breaks Pod Security restricted (no seccompProfile) and no stack policy.</summary>
    public CommandLine.Result PodWithoutSeccompProfile { get; private set; } = new(-1, "", "");

    /// <summary>Per object, where the live object differs from what applying git's would make it (Argo CD's diff).</summary>
    public IReadOnlyList<string> OutOfSync { get; private set; } = [];

    /// <summary>StatefulSets whose governing Service (spec.serviceName) is missing or not headless.</summary>
    public IReadOnlyList<string> UngovernedStatefulSets { get; private set; } = [];

    /// <summary>Objects the second sync of the same tree changed.</summary>
    public IReadOnlyList<string> SecondSyncChanges { get; private set; } = [];

    public static async Task<OverlaySync> RunAsync(ControlPlane controlPlane, string environment)
    {
        var cluster = controlPlane.Cluster;
        await controlPlane.RealPoliciesAsync();
        var run = new OverlaySync(environment, ArgoCdApplications.DestinationNamespace(environment));
        var folder = Path.Combine(Repository.Deploy, "overlays", environment);
        var desired = KubeObject.Parse(await cluster.Kubectl.KustomizeAsync(folder), $"{folder} (kustomize)");
        var sync = new ArgoCdSync(cluster, run.Namespace);

        run.First = await sync.SyncAsync(desired);
        var tracked = SyncOrder.Plan(desired).Where(task => !task.IsHook).Select(task => task.Object).ToList();
        var live = await sync.LiveAsync(tracked);
        run.OutOfSync = [.. tracked.SelectMany(item => LiveDifference.OutOfSync(item, live[item.Key]).Select(difference => $"{item.DisplayName}: {difference}"))];
        run.UngovernedStatefulSets = await UngovernedStatefulSetsAsync(cluster, run.Namespace, tracked);
        await run.ProbeNamespaceAsync(cluster);
        run.SecondSyncChanges = await sync.ResyncAsync(desired);
        return run;
    }

    private async Task ProbeNamespaceAsync(KubernetesCluster cluster)
    {
        var labels = (await cluster.Kubectl.GetAsync("get", "namespace", Namespace))["metadata"]?["labels"] as JsonObject ?? new JsonObject();
        NamespaceLabels = labels.ToDictionary(label => label.Key, label => label.Value.Text() ?? "");

        var configMap = KubeObject.Parse($"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: probe-settings, namespace: {Namespace}}}\ndata: {{ADMIN_PASSWORD: hunter2}}\n", "probe");
        SecretLookingConfigMap = Verdict.FromKubectl(await cluster.Kubectl.ApplyAsync(configMap, dryRun: true), name => name);
        PodWithoutSeccompProfile = await cluster.Kubectl.ApplyAsync(KubeObject.Parse(PolicyExamples.CompliantPod, "probe"), Namespace, dryRun: true);
    }

    private static async Task<IReadOnlyList<string>> UngovernedStatefulSetsAsync(KubernetesCluster cluster, string @namespace, IReadOnlyList<KubeObject> tracked)
    {
        var services = await cluster.Kubectl.ListAsync(@namespace, "services");
        var problems = new List<string>();
        foreach (var statefulSet in tracked.Where(item => item.Kind == "StatefulSet"))
        {
            var serviceName = statefulSet.Spec?["serviceName"].Text();
            var service = services.FirstOrDefault(item => item.Name == serviceName);
            var clusterIp = service?.Spec?["clusterIP"].Text();
            if (clusterIp != "None")
            {
                problems.Add(service is null
                    ? $"{statefulSet.DisplayName}: spec.serviceName {serviceName ?? "(none)"} names no Service"
                    : $"{statefulSet.DisplayName}: its Service {serviceName} has clusterIP {clusterIp}, not None (headless): the pods get no stable DNS names");
            }
        }

        return problems;
    }
}
