namespace Stack.Tests.Shared;

/// <summary>
/// Manifests and policies the policy tests judge in code, beside their fixture files: the engine's
/// tests (Stack.Policy.Tests) and the API server's (Stack.Cluster.Tests) use the same ones.
/// </summary>
internal static class PolicyExamples
{
    /// <summary>A Pod that every real policy admits (and Pod Security restricted does not: it sets no seccompProfile).</summary>
    public const string CompliantPod =
        """
        apiVersion: v1
        kind: Pod
        metadata:
          name: api
          labels: {app.kubernetes.io/name: api, app.kubernetes.io/part-of: stack}
        spec:
          securityContext: {runAsNonRoot: true}
          containers:
            - name: api
              image: ghcr.io/stack-games/leaderboard-api:1.0.0
              resources: {requests: {cpu: 100m, memory: 64Mi}, limits: {cpu: 200m, memory: 128Mi}}
              securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
              livenessProbe: {httpGet: {path: /alive, port: 8080}}
              readinessProbe: {httpGet: {path: /health, port: 8080}}
        """;

    /// <summary>The rule of the one-rule policies on Deployments.</summary>
    public const string AtMostThreeReplicas = "object.spec.replicas <= 3";

    /// <summary>A matchCondition (the <c>extra</c> of <see cref="Policy"/>) that leaves out objects labelled canary.</summary>
    public const string NotCanary = "matchConditions: [{name: not-canary, expression: \"!has(object.metadata.labels) || !('canary' in object.metadata.labels)\"}]";

    /// <summary>A rule on a ConfigMap's keys: filter and map over a map walk its keys.</summary>
    public const string OnlyKeyXa = "object.data.filter(k, k.startsWith('x')).map(k, k.upperAscii()) == ['XA']";

    /// <summary>
    /// A rule on a field nothing fills in: on a Deployment that does not set <c>spec.paused</c> it
    /// cannot be evaluated, offline or on the API server (which defaults replicas, so a rule on
    /// replicas would be evaluable there).
    /// </summary>
    public const string NotPaused = "object.spec.paused == false";

    /// <summary>A Deployment as written, without spec.replicas or spec.paused: <see cref="NotPaused"/> cannot be evaluated on it.</summary>
    public const string DeploymentWithoutReplicas = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec: {}\n";

    /// <summary>A Deployment with nine replicas.</summary>
    public const string DeploymentWithNineReplicas = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec: {replicas: 9}\n";

    /// <summary>Three workloads of five replicas: a Deployment, a canary Deployment and a StatefulSet.</summary>
    public const string ThreeWorkloadsOfFiveReplicas =
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: big}
        spec: {replicas: 5}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: canary, labels: {canary: "true"}}
        spec: {replicas: 5}
        ---
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: not-a-deployment}
        spec: {replicas: 5}
        """;

    /// <summary>A ConfigMap with the keys xa and b.</summary>
    public const string ConfigMapWithKeysXaAndB = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {xa: '1', b: '2'}\n";

    /// <summary>A one-rule policy and its binding, for the admission semantics of a single expression.</summary>
    public static string Policy(
        string name, string failurePolicy, string expression, string actions, string extra = "", string resource = "deployments", string group = "apps",
        string? matchConstraints = null, string? validation = null) =>
        $$"""
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicy
        metadata: {name: {{name}}}
        spec:
          failurePolicy: {{failurePolicy}}
          matchConstraints: {{matchConstraints ?? $"{{resourceRules: [{{apiGroups: [{group}], apiVersions: [v1], operations: [CREATE], resources: [{resource}]}}]}}"}}
          {{extra}}
          validations: [{{validation ?? $"{{expression: \"{expression}\"}}"}}]
        ---
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicyBinding
        metadata: {name: {{name}}}
        spec: {policyName: {{name}}, validationActions: {{actions}}}
        """;
}
