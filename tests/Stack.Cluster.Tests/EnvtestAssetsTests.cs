using Stack.Cluster.Tests.Envtest;

namespace Stack.Cluster.Tests;

/// <summary>Without the control plane's binaries, the cluster tests fail with one sentence saying how to get them.</summary>
public sealed class EnvtestAssetsTests
{
    [Fact]
    public void WithoutKubebuilderAssetsTheTestsSayInOneSentenceHowToGetThem()
    {
        var message = Assert.Throws<ControlPlaneUnavailableException>(() => EnvtestAssets.Find(null)).Message;

        Assert.StartsWith("The cluster tests start a real Kubernetes control plane from KUBEBUILDER_ASSETS, which is not set", message, StringComparison.Ordinal);
        Assert.Contains("export KUBEBUILDER_ASSETS=\"$(../shared/tools/envtest/assets)\"", message, StringComparison.Ordinal);
        Assert.Contains("setup-envtest use -p path 1.36.x", message, StringComparison.Ordinal);
        AssertOneSentence(message);
    }

    [Fact]
    public void AssetsFromSetupEnvtestWithoutAControllerManagerAreRefusedNamingWhatToAdd()
    {
        using var assets = new TemporaryDirectory();
        foreach (var binary in new[] { "etcd", "kube-apiserver", "kubectl" })
        {
            var path = Path.Combine(assets.Path, binary);
            File.WriteAllText(path, "#!/bin/sh\n");
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var message = Assert.Throws<ControlPlaneUnavailableException>(() => EnvtestAssets.Find(assets.Path)).Message;

        Assert.Contains($"({assets.Path}) has etcd, kube-apiserver and kubectl but no kube-controller-manager", message, StringComparison.Ordinal);
        Assert.Contains("add kube-controller-manager of the same version as its kube-apiserver (v1.36.x)", message, StringComparison.Ordinal);
        AssertOneSentence(message);
    }

    [Fact]
    public void AFolderWithoutTheBinariesIsNamedWithWhatItLacks()
    {
        using var empty = new TemporaryDirectory();

        var message = Assert.Throws<ControlPlaneUnavailableException>(() => EnvtestAssets.Find(empty.Path)).Message;

        Assert.Contains($"{empty.Path} has no etcd, kube-apiserver, kubectl", message, StringComparison.Ordinal);
        AssertOneSentence(message);
    }

    private static void AssertOneSentence(string message)
    {
        Assert.EndsWith(".", message, StringComparison.Ordinal);
        Assert.DoesNotContain(". ", message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', message);
    }
}
