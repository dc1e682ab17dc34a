using System.Text.Json.Nodes;

namespace Stack.Cluster.Tests.Kubernetes;

/// <summary>
/// The defaults Kubernetes fills in inside lists that server-side apply replaces wholesale (lists
/// not keyed by <c>name</c>), where a structured merge would otherwise lose them: from
/// kubernetes pkg/apis/core/v1/defaults.go (SetDefaults_PersistentVolumeClaim,
/// SetDefaults_PersistentVolumeClaimSpec, SetDefaults_ContainerPort, SetDefaults_Service) and
/// pkg/apis/networking/v1/defaults.go (SetDefaults_NetworkPolicyPort). Argo CD runs the same
/// defaulting functions on both sides of a diff. What the server adds beyond them (for instance the
/// apiVersion and kind of a StatefulSet's volumeClaimTemplates) is a real difference.
/// </summary>
internal static class KubernetesDefaults
{
    /// <summary>Fills the defaults into <paramref name="item"/> where they are absent.</summary>
    public static void Fill(KubeObject item)
    {
        if (item.Kind == "StatefulSet")
        {
            foreach (var template in Each(item.Spec?["volumeClaimTemplates"]))
            {
                Default(template["spec"], "volumeMode", "Filesystem");
                template["status"] ??= new JsonObject();
                Default(template["status"], "phase", "Pending");
            }
        }

        if (item.Kind == "NetworkPolicy")
        {
            foreach (var port in new[] { "ingress", "egress" }.SelectMany(direction => Each(item.Spec?[direction])).SelectMany(rule => Each(rule["ports"])))
            {
                Default(port, "protocol", "TCP");
            }
        }

        if (item.Kind == "Service")
        {
            foreach (var port in Each(item.Spec?["ports"]))
            {
                Default(port, "protocol", "TCP");
                if (port["port"] is { } number)
                {
                    port["targetPort"] ??= number.DeepClone();
                }
            }
        }

        if (PodTemplates.PodSpec(item) is { } pod)
        {
            foreach (var port in Each(pod["containers"]).Concat(Each(pod["initContainers"])).SelectMany(container => Each(container["ports"])))
            {
                Default(port, "protocol", "TCP");
            }
        }
    }

    private static void Default(JsonNode? map, string field, string value)
    {
        if (map is JsonObject fields)
        {
            fields[field] ??= value;
        }
    }

    private static IEnumerable<JsonObject> Each(JsonNode? list) => (list as JsonArray ?? []).OfType<JsonObject>();
}
