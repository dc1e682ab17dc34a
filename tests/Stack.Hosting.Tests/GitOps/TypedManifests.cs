using k8s;

namespace Stack.Hosting.Tests.GitOps;

/// <summary>
/// Loads YAML into typed models, strictly: an unknown field or a value of the wrong type fails.
/// Built-in kinds load into the KubernetesClient package's models; Argo CD, External Secrets,
/// Argo Rollouts and Prometheus Operator kinds into ours (<see cref="ArgoCd"/>, <see cref="Monitoring"/>).
/// </summary>
internal static class TypedManifests
{
    private static readonly Dictionary<string, Type> CustomKinds = new()
    {
        ["argoproj.io/v1alpha1/Application"] = typeof(ArgoCd.Application),
        ["argoproj.io/v1alpha1/ApplicationSet"] = typeof(ArgoCd.ApplicationSet),
        ["argoproj.io/v1alpha1/AppProject"] = typeof(ArgoCd.AppProject),
        ["external-secrets.io/v1/ExternalSecret"] = typeof(ArgoCd.ExternalSecret),
        ["argoproj.io/v1alpha1/Rollout"] = typeof(Monitoring.Rollout),
        ["argoproj.io/v1alpha1/AnalysisTemplate"] = typeof(Monitoring.AnalysisTemplate),
        ["monitoring.coreos.com/v1/ServiceMonitor"] = typeof(Monitoring.ServiceMonitor),
        ["monitoring.coreos.com/v1/PrometheusRule"] = typeof(Monitoring.PrometheusRule),
    };

    public static List<object> Load(string yaml) => KubernetesYaml.LoadAllFromString(yaml, CustomKinds, strict: true);

    public static List<object> LoadFile(string path) => Load(File.ReadAllText(path));

    /// <summary>Every object of the kustomization <paramref name="folder"/>, rendered by the real `kubectl kustomize` as Argo CD renders it.</summary>
    public static List<object> LoadKustomization(string folder)
    {
        var (yaml, error) = Stack.Policy.Kubernetes.Kustomize.Render(folder);
        Assert.True(error is null, $"{folder}: {error}");
        return Load(yaml!);
    }

    /// <summary>Every object of the files under <paramref name="folder"/> except kustomize's own files.</summary>
    public static List<object> LoadFolder(string folder) => Directory
        .EnumerateFiles(folder, "*.yaml", SearchOption.AllDirectories)
        .Where(f => Path.GetFileName(f) != "kustomization.yaml")
        .Order(StringComparer.Ordinal)
        .SelectMany(LoadFile)
        .ToList();
}
