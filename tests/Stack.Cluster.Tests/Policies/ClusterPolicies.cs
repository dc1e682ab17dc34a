using System.Text.Json.Nodes;
using Stack.Cluster.Tests.ArgoCd;
using Stack.Cluster.Tests.Kubernetes;

namespace Stack.Cluster.Tests.Policies;

/// <summary>
/// Policies in the cluster: the real ones of infra/policies, installed as Argo CD's stack-policies
/// application installs them, and isolated copies of changed ones, each bound to a namespace of its
/// own so that tests running beside them never meet them. A policy is in force only once the API
/// server's admission plugin has loaded it (and its parameters' informer has synced); every install
/// waits for that, proved by a sentinel policy applied last being enforced.
/// </summary>
internal static class ClusterPolicies
{
    /// <summary>The namespace the policy fixtures name, enforced like every published environment namespace.</summary>
    public const string FixturesNamespace = "games";

    public static readonly IReadOnlyDictionary<string, string> Enforced = new Dictionary<string, string> { ["stack.dev/policy"] = "enforced" };

    private static readonly TimeSpan InForceTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Where the sentinel policies keep their parameter: judged by no policy under test.</summary>
    private const string SentinelNamespace = "stack-cluster-tests";

    /// <summary>
    /// Syncs infra/policies (rendered by kustomize, into its destination stack-policy) and the enforced
    /// namespace <see cref="FixturesNamespace"/>, and returns once the policies are in force.
    /// </summary>
    public static async Task InstallRealAsync(KubernetesCluster cluster)
    {
        var policies = KubeObject.Parse(await cluster.Kubectl.KustomizeAsync(Repository.Policies), "infra/policies (kustomize)");
        var report = await new ArgoCdSync(cluster, "stack-policy").SyncAsync(policies);
        if (report.ApplyFailures.Count > 0)
        {
            throw new InvalidOperationException($"infra/policies did not apply: {string.Join("; ", report.ApplyFailures)}");
        }

        await cluster.EnsureNamespaceAsync(FixturesNamespace, Enforced);

        // The Namespaces fixtures declare (with the labels policies read through namespaceObject) are
        // there, with their labels, before the policies are in force and any fixture is judged.
        var declared = Directory.EnumerateFiles(Repository.PolicyFixtures, "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .SelectMany(file => KubeObject.Parse(File.ReadAllText(file), file))
            .Where(item => item.Kind == "Namespace")
            .ToList();
        if (declared.Count > 0)
        {
            var created = await cluster.Kubectl.ApplyAsync(declared, fieldManager: KubernetesCluster.TestFieldManager);
            if (created.ExitCode != 0)
            {
                throw new InvalidOperationException($"the Namespaces of the policy fixtures did not apply: {created.AllOutput.Trim()}");
            }
        }

        await WaitUntilInForceAsync(cluster, FixturesNamespace, "real");
    }

    /// <summary>
    /// Installs the policies of <paramref name="folder"/> renamed with <paramref name="caseName"/>, each
    /// binding matching only a new namespace of that name (whatever it matched before), with their
    /// parameters moved into it; returns the namespace once they are in force. The offline engine judges
    /// every object as if its binding matched it, so the copies judge as the originals do.
    /// </summary>
    public static async Task<string> InstallIsolatedAsync(KubernetesCluster cluster, string folder, string caseName)
    {
        var @namespace = $"policy-case-{caseName}";
        await cluster.EnsureNamespaceAsync(@namespace);
        var yaml = File.Exists(Path.Combine(folder, "kustomization.yaml"))
            ? await cluster.Kubectl.KustomizeAsync(folder)
            : string.Join("\n---\n", Directory.EnumerateFiles(folder, "*.yaml").Order(StringComparer.Ordinal).Select(File.ReadAllText));
        var copies = KubeObject.Parse(yaml, folder).Where(item => item.Kind != "Namespace").Select(item => Isolated(item, caseName, @namespace)).ToList();
        var result = await cluster.Kubectl.ApplyAsync(copies, fieldManager: KubernetesCluster.TestFieldManager);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"the policies of case {caseName} did not apply: {result.AllOutput.Trim()}");
        }

        await WaitUntilInForceAsync(cluster, @namespace, caseName);
        return @namespace;
    }

    /// <summary>
    /// Keeps one policy with ConfigMap parameters in the cluster for its whole life, judging nothing.
    /// The API server runs the parameters' informer of a kind only while some policy uses that kind:
    /// with the sentinels and the isolated cases coming and going, it was stopped and started again
    /// and, under a loaded CI run, left policies answering "no params found" for minutes. With this
    /// anchor the informer starts once, before any test, and never stops.
    /// </summary>
    public static async Task AnchorParameterInformerAsync(KubernetesCluster cluster)
    {
        await cluster.EnsureNamespaceAsync(SentinelNamespace);
        var anchor = KubeObject.Parse(
            $$$"""
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: stack-cluster-tests-anchor, namespace: {{{SentinelNamespace}}}}
            data: {anchor: "true"}
            ---
            apiVersion: admissionregistration.k8s.io/v1
            kind: ValidatingAdmissionPolicy
            metadata: {name: stack-cluster-tests-anchor}
            spec:
              failurePolicy: Ignore
              paramKind: {apiVersion: v1, kind: ConfigMap}
              matchConstraints:
                resourceRules: [{apiGroups: [coordination.k8s.io], apiVersions: [v1], operations: [CREATE], resources: [leases]}]
              validations:
                - expression: "true"
            ---
            apiVersion: admissionregistration.k8s.io/v1
            kind: ValidatingAdmissionPolicyBinding
            metadata: {name: stack-cluster-tests-anchor}
            spec:
              policyName: stack-cluster-tests-anchor
              validationActions: [Deny]
              paramRef: {name: stack-cluster-tests-anchor, namespace: {{{SentinelNamespace}}}, parameterNotFoundAction: Allow}
              matchResources:
                namespaceSelector:
                  matchLabels:
                    stack.dev/cluster-tests-anchor: "never-set"
            """, "anchor");
        var applied = await cluster.Kubectl.ApplyAsync(anchor, fieldManager: KubernetesCluster.TestFieldManager);
        if (applied.ExitCode != 0)
        {
            throw new InvalidOperationException($"the anchor policy did not apply: {applied.AllOutput.Trim()}");
        }
    }

    /// <summary>The name in git of a policy the API server names <paramref name="name"/> (isolated copies carry a suffix).</summary>
    public static string NameInGit(string name, string caseName) =>
        name.EndsWith(Suffix(caseName), StringComparison.Ordinal) ? name[..^Suffix(caseName).Length] : name;

    private static string Suffix(string caseName) => $"--{caseName}";

    private static KubeObject Isolated(KubeObject item, string caseName, string @namespace)
    {
        var copy = item.Json.DeepClone().AsObject();
        var metadata = copy["metadata"]!.AsObject();
        switch (item.Kind)
        {
            case "ValidatingAdmissionPolicy":
                metadata["name"] = item.Name + Suffix(caseName);
                break;
            case "ValidatingAdmissionPolicyBinding":
                metadata["name"] = item.Name + Suffix(caseName);
                var spec = copy["spec"]!.AsObject();
                spec["policyName"] = spec["policyName"].Text() + Suffix(caseName);
                spec["matchResources"] = OnlyNamespace(@namespace);
                if (spec["paramRef"] is JsonObject paramRef && paramRef.ContainsKey("namespace"))
                {
                    paramRef["namespace"] = @namespace;
                }

                break;
            default:
                metadata["namespace"] = @namespace;
                break;
        }

        return new KubeObject(copy);
    }

    private static JsonObject OnlyNamespace(string @namespace) =>
        new() { ["namespaceSelector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["kubernetes.io/metadata.name"] = @namespace } } };

    /// <summary>
    /// Applies a sentinel policy (with a ConfigMap parameter, like stack-allowed-registries) after the
    /// others, waits until it denies its probe in <paramref name="namespace"/>, then removes it. The
    /// admission plugin loads policies in the order their informer delivers them, so once the last one
    /// is enforced the earlier ones are too, and the ConfigMap parameters' informer has synced. The
    /// probe is a Lease and the parameter lives in a namespace of the tests' own, where no policy
    /// under test judges them.
    /// </summary>
    private static async Task WaitUntilInForceAsync(KubernetesCluster cluster, string @namespace, string caseName)
    {
        // Named for this wait alone: two fixtures installing the same policies at once (the real ones,
        // for the enforcement and the overlay tests) each wait on a sentinel of their own, and the
        // first to finish cannot delete the other's from under it ("no params found", for a minute).
        var wait = Guid.NewGuid().ToString("N")[..8];
        var name = $"stack-cluster-tests-sentinel-{caseName}-{wait}";
        var probe = $"stack-cluster-tests-probe-{caseName}-{wait}";
        await cluster.EnsureNamespaceAsync(SentinelNamespace);
        var sentinel = KubeObject.Parse(
            $$$"""
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: {{{name}}}, namespace: {{{SentinelNamespace}}}}
            data: {probe: {{{probe}}}}
            ---
            apiVersion: admissionregistration.k8s.io/v1
            kind: ValidatingAdmissionPolicy
            metadata: {name: {{{name}}}}
            spec:
              failurePolicy: Fail
              paramKind: {apiVersion: v1, kind: ConfigMap}
              matchConstraints:
                resourceRules: [{apiGroups: [coordination.k8s.io], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [leases]}]
              validations:
                - expression: "object.metadata.name != params.data.probe"
                  messageExpression: "'in force: ' + params.data.probe"
            ---
            apiVersion: admissionregistration.k8s.io/v1
            kind: ValidatingAdmissionPolicyBinding
            metadata: {name: {{{name}}}}
            spec:
              policyName: {{{name}}}
              validationActions: [Deny]
              paramRef: {name: {{{name}}}, namespace: {{{SentinelNamespace}}}, parameterNotFoundAction: Deny}
              matchResources:
                namespaceSelector:
                  matchLabels:
                    kubernetes.io/metadata.name: {{{@namespace}}}
            """, "sentinel");
        var applied = await cluster.Kubectl.ApplyAsync(sentinel, fieldManager: KubernetesCluster.TestFieldManager);
        if (applied.ExitCode != 0)
        {
            throw new InvalidOperationException($"the sentinel policy did not apply: {applied.AllOutput.Trim()}");
        }

        var probeObject = new KubeObject(new JsonObject
        {
            ["apiVersion"] = "coordination.k8s.io/v1",
            ["kind"] = "Lease",
            ["metadata"] = new JsonObject { ["name"] = probe, ["namespace"] = @namespace },
        });
        var deadline = DateTime.UtcNow + InForceTimeout;
        while (true)
        {
            var result = await cluster.Kubectl.ApplyAsync([probeObject], dryRun: true, fieldManager: KubernetesCluster.TestFieldManager);
            if (result.StandardError.Contains($"in force: {probe}", StringComparison.Ordinal))
            {
                break;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the policies of {@namespace} were not in force within {InForceTimeout.TotalSeconds:0} s: {result.AllOutput.Trim()}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }

        await cluster.Kubectl.RequireAsync("delete", "validatingadmissionpolicybinding,validatingadmissionpolicy", name, "--wait=false");
        await cluster.Kubectl.RequireAsync("delete", "configmap", name, "-n", SentinelNamespace, "--wait=false");
    }
}
