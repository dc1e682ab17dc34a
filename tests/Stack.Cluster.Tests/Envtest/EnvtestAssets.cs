namespace Stack.Cluster.Tests.Envtest;

/// <summary>
/// The binaries of a control plane, found the way the Kubernetes ecosystem's envtest finds them:
/// in the folder named by <c>KUBEBUILDER_ASSETS</c>. Assets from upstream <c>setup-envtest</c>
/// hold etcd, kube-apiserver and kubectl; these tests also need kube-controller-manager, because
/// what they prove depends on controllers creating ReplicaSets and Pods.
/// </summary>
internal sealed class EnvtestAssets
{
    public const string Variable = "KUBEBUILDER_ASSETS";

    private const string HowToGetThem =
        "run `export KUBEBUILDER_ASSETS=\"$(../shared/tools/envtest/assets)\"` from the repository root, "
        + "or use `setup-envtest use -p path 1.36.x` and add a kube-controller-manager of the same version to that folder";

    private EnvtestAssets(string directory) => Directory = directory;

    public string Directory { get; }

    public string Etcd => Path.Combine(Directory, "etcd");

    public string KubeApiServer => Path.Combine(Directory, "kube-apiserver");

    public string KubeControllerManager => Path.Combine(Directory, "kube-controller-manager");

    public string Kubectl => Path.Combine(Directory, "kubectl");

    /// <summary>The assets named by <paramref name="directory"/> (the variable's value), or one sentence saying how to get them.</summary>
    /// <exception cref="ControlPlaneUnavailableException">The folder is not set, missing, or lacks a binary.</exception>
    public static EnvtestAssets Find(string? directory)
    {
        if (string.IsNullOrWhiteSpace(directory))
        {
            throw new ControlPlaneUnavailableException(
                $"The cluster tests start a real Kubernetes control plane from {Variable}, which is not set: {HowToGetThem}.");
        }

        var assets = new EnvtestAssets(directory);
        string[] envtest = ["etcd", "kube-apiserver", "kubectl"];
        var missing = envtest.Where(binary => !IsExecutable(Path.Combine(directory, binary))).ToList();
        if (missing.Count > 0)
        {
            throw new ControlPlaneUnavailableException(
                $"The cluster tests start a real Kubernetes control plane from {Variable}, and {directory} has no {string.Join(", ", missing)}: {HowToGetThem}.");
        }

        if (!IsExecutable(assets.KubeControllerManager))
        {
            throw new ControlPlaneUnavailableException(
                $"{Variable} ({directory}) has etcd, kube-apiserver and kubectl but no kube-controller-manager, which the cluster tests need for the controllers that create ReplicaSets and Pods: "
                + "add kube-controller-manager of the same version as its kube-apiserver (v1.36.x) to that folder, or use `$(../shared/tools/envtest/assets)`.");
        }

        return assets;
    }

    private static bool IsExecutable(string path)
    {
        // A symbolic link counts by its target (the envtest tool links etcd to Debian's etcd-server).
        var file = new FileInfo(path);
        var target = file.LinkTarget is null ? file : file.ResolveLinkTarget(returnFinalTarget: true) as FileInfo;
        return target is { Exists: true } && (target.UnixFileMode & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
    }
}

/// <summary>The control plane cannot run here; the message is one sentence saying what to do.</summary>
internal sealed class ControlPlaneUnavailableException(string message) : Exception(message);
