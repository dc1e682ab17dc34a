namespace Stack.Policy.Kubernetes;

/// <summary>
/// The kinds Kubernetes itself serves, by API group. A kind misspelled in a built-in group
/// (<c>apps/v1 Deploymnet</c>) would match no policy and slip through the gate unjudged, so it is a
/// problem; kinds of other groups are custom resources (Argo CD, Argo Rollouts, ...) and are judged
/// by whichever policies name them.
/// </summary>
internal static class KubernetesKinds
{
    private static readonly Dictionary<string, HashSet<string>> BuiltIn = new(StringComparer.Ordinal)
    {
        [""] = ["Binding", "ComponentStatus", "ConfigMap", "Endpoints", "Event", "LimitRange", "List", "Namespace", "Node",
            "PersistentVolume", "PersistentVolumeClaim", "Pod", "PodTemplate", "ReplicationController", "ResourceQuota",
            "Secret", "Service", "ServiceAccount"],
        ["admissionregistration.k8s.io"] = ["MutatingAdmissionPolicy", "MutatingAdmissionPolicyBinding", "MutatingWebhookConfiguration",
            "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding", "ValidatingWebhookConfiguration"],
        ["apiextensions.k8s.io"] = ["CustomResourceDefinition"],
        ["apiregistration.k8s.io"] = ["APIService"],
        ["apps"] = ["ControllerRevision", "DaemonSet", "Deployment", "ReplicaSet", "StatefulSet"],
        ["autoscaling"] = ["HorizontalPodAutoscaler", "Scale"],
        ["batch"] = ["CronJob", "Job"],
        ["certificates.k8s.io"] = ["CertificateSigningRequest", "ClusterTrustBundle"],
        ["coordination.k8s.io"] = ["Lease", "LeaseCandidate"],
        ["discovery.k8s.io"] = ["EndpointSlice"],
        ["events.k8s.io"] = ["Event"],
        ["flowcontrol.apiserver.k8s.io"] = ["FlowSchema", "PriorityLevelConfiguration"],
        ["networking.k8s.io"] = ["IPAddress", "Ingress", "IngressClass", "NetworkPolicy", "ServiceCIDR"],
        ["node.k8s.io"] = ["RuntimeClass"],
        ["policy"] = ["Eviction", "PodDisruptionBudget"],
        ["rbac.authorization.k8s.io"] = ["ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"],
        ["resource.k8s.io"] = ["DeviceClass", "ResourceClaim", "ResourceClaimTemplate", "ResourceSlice"],
        ["scheduling.k8s.io"] = ["PriorityClass"],
        ["storage.k8s.io"] = ["CSIDriver", "CSINode", "CSIStorageCapacity", "StorageClass", "VolumeAttachment", "VolumeAttributesClass"],
    };

    /// <summary>Why <paramref name="kind"/> in <paramref name="group"/> cannot be a Kubernetes object, or null when it can.</summary>
    public static string? Unknown(string group, string version, string kind)
    {
        if (!IsVersion(version))
        {
            return $"apiVersion '{(group.Length == 0 ? version : $"{group}/{version}")}' is not an API version (expected v1, apps/v1, ...)";
        }

        if (kind.Length == 0 || !char.IsAsciiLetterUpper(kind[0]) || !kind.All(char.IsAsciiLetterOrDigit))
        {
            return $"kind '{kind}' is not a Kubernetes kind (expected a name such as Deployment)";
        }

        return BuiltIn.TryGetValue(group, out var kinds) && !kinds.Contains(kind)
            ? $"unknown kind '{kind}' in {(group.Length == 0 ? "the core API group" : group)}: no policy would judge it"
            : null;
    }

    /// <summary>
    /// The resource name a rule lists for <paramref name="kind"/> (Deployment: deployments,
    /// NetworkPolicy: networkpolicies, Ingress: ingresses), as the API server pluralises kinds.
    /// </summary>
    public static string Resource(string kind)
    {
        var lower = kind.ToLowerInvariant();
        if (lower is "endpoints")
        {
            return lower;
        }

        if (lower.EndsWith('y') && lower.Length > 1 && !"aeiou".Contains(lower[^2]))
        {
            return lower[..^1] + "ies";
        }

        return lower.EndsWith('s') || lower.EndsWith('x') || lower.EndsWith("ch", StringComparison.Ordinal) || lower.EndsWith("sh", StringComparison.Ordinal)
            ? lower + "es"
            : lower + "s";
    }

    private static bool IsVersion(string version) =>
        version.Length > 1 && version[0] == 'v' && char.IsAsciiDigit(version[1]) && version.All(char.IsAsciiLetterOrDigit);
}
