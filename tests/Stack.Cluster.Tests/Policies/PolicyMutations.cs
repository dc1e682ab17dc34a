using System.Text.Json.Nodes;
using Stack.Cluster.Tests.Kubernetes;

namespace Stack.Cluster.Tests.Policies;

/// <summary>
/// A change the policy engine's tests (Stack.Policy.Tests, PolicySetTests) make in code: to the
/// manifest judged, to the real policies, or a one-rule policy of their own.
/// </summary>
/// <param name="Name">How the case reads in a test name.</param>
/// <param name="WritePolicies">Writes the policies into the given folder and returns it; null: the real policies, unchanged.</param>
/// <param name="Manifest">The YAML judged.</param>
internal sealed record PolicyMutation(string Name, Func<string, string>? WritePolicies, string Manifest);

/// <summary>The mutations of PolicySetTests, built from the same <see cref="PolicyExamples"/>.</summary>
internal static class PolicyMutations
{
    public static IReadOnlyList<PolicyMutation> All { get; } =
    [
        new("compliant-pod", null, PolicyExamples.CompliantPod),
        new("compliant-pod-latest", null, PolicyExamples.CompliantPod.Replace(":1.0.0", ":latest", StringComparison.Ordinal)),
        new("registries-from-params", folder => CopyOfRealPolicies(folder, "params.yaml", "ghcr.io/stack-games/", "registry.example.com/"), PolicyExamples.CompliantPod),
        new("params-missing", folder => CopyOfRealPolicies(folder, "params.yaml", null, null), PolicyExamples.CompliantPod),
        new("unevaluable-fail", folder => OnePolicy(folder, PolicyExamples.Policy("paused", "Fail", PolicyExamples.NotPaused, "[Deny]")), PolicyExamples.DeploymentWithoutReplicas),
        new("unevaluable-ignore", folder => OnePolicy(folder, PolicyExamples.Policy("paused", "Ignore", PolicyExamples.NotPaused, "[Deny]")), PolicyExamples.DeploymentWithoutReplicas),
        new("match-conditions", folder => OnePolicy(folder, PolicyExamples.Policy("replicas", "Fail", PolicyExamples.AtMostThreeReplicas, "[Deny]", PolicyExamples.NotCanary)),
            PolicyExamples.ThreeWorkloadsOfFiveReplicas),
        new("warn-binding", folder => OnePolicy(folder, PolicyExamples.Policy("replicas", "Fail", PolicyExamples.AtMostThreeReplicas, "[Warn, Audit]")), PolicyExamples.DeploymentWithNineReplicas),
        new("map-keys", folder => OnePolicy(folder, PolicyExamples.Policy("keys", "Fail", PolicyExamples.OnlyKeyXa, "[Deny]", resource: "configmaps", group: "\"\"")),
            PolicyExamples.ConfigMapWithKeysXaAndB),
    ];

    /// <summary>
    /// PolicySetTests' changes to the real policies that make them unloadable for the offline engine:
    /// (file, text, replacement).
    /// </summary>
    public static IReadOnlyDictionary<string, (string File, string Text, string Replacement)> BrokenExpressions { get; } = new Dictionary<string, (string, string, string)>
    {
        ["does-not-compile"] = ("probes.yaml", "\"size(variables.unprobed) == 0\"", "\"size(variables.unprobed) == (0\""),
        ["optional-syntax"] = ("resources.yaml", "has(object.spec.template)", "object.spec.?template.hasValue()"),
        ["unknown-function"] = ("resources.yaml", "has(object.spec.template)", "object.spec.templte.hasTemplate()"),
    };

    /// <summary>A copy of infra/policies in <paramref name="folder"/> with one file changed (or, without a replacement, deleted).</summary>
    public static string CopyOfRealPolicies(string folder, string file, string? text, string? replacement)
    {
        TemporaryDirectory.CopyTree(Repository.Policies, folder);
        var path = Path.Combine(folder, file);
        if (text is null || replacement is null)
        {
            File.Delete(path);
            var kustomization = Path.Combine(folder, "kustomization.yaml");
            File.WriteAllLines(kustomization, File.ReadAllLines(kustomization).Where(line => line.Trim() != $"- {file}"));
        }
        else
        {
            File.WriteAllText(path, File.ReadAllText(path).Replace(text, replacement, StringComparison.Ordinal));
        }

        return folder;
    }

    /// <summary>
    /// The objects of <paramref name="manifest"/> as the API server can take them. The synthetic
    /// Deployments and StatefulSets of PolicySetTests carry no selector or pod template, which the
    /// API server requires before admission runs; they get a neutral one (no case policy reads it),
    /// and both engines judge the completed object.
    /// </summary>
    public static IReadOnlyList<KubeObject> Completed(string manifest) =>
        [.. KubeObject.Parse(manifest, "mutation").Select(item =>
        {
            if (item.Kind is not ("Deployment" or "StatefulSet") || item.Spec is not { } spec || spec.ContainsKey("template"))
            {
                return item;
            }

            var labels = new JsonObject { ["app"] = item.Name };
            spec["selector"] = new JsonObject { ["matchLabels"] = labels.DeepClone() };
            spec["template"] = new JsonObject
            {
                ["metadata"] = new JsonObject { ["labels"] = labels },
                ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "main", ["image"] = "registry.k8s.io/pause:3.10" }) },
            };
            return item;
        })];

    private static string OnePolicy(string folder, string policy)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "policy.yaml"), policy);
        return folder;
    }
}
