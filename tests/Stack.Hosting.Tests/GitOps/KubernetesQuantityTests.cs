using Stack.Hosting.GitOps;
using Stack.Hosting.GitOps.Terraform;

namespace Stack.Hosting.Tests.GitOps;

/// <summary>Kubernetes quantities become the whole numbers Terraform's inventory sizes by, rounded up.</summary>
public sealed class KubernetesQuantityTests
{
    [Theory]
    [InlineData("500m", 500)]
    [InlineData("1", 1000)]
    [InlineData("1.5", 1500)]
    [InlineData("250m", 250)]
    [InlineData("0.1", 100)]
    public void CpuBecomesMillicores(string quantity, long millicores) =>
        Assert.Equal(millicores, KubernetesQuantity.Millicores(quantity, "CPU limit"));

    [Theory]
    [InlineData("512Mi", 512)]
    [InlineData("1Gi", 1024)]
    [InlineData("2048Ki", 2)]
    [InlineData("1G", 954)] // 10^9 bytes are 953.67 MiB: rounded up, never below the limit
    [InlineData("1000M", 954)]
    [InlineData("1Ti", 1048576)]
    [InlineData("1048576", 1)]
    public void MemoryBecomesMebibytes(string quantity, long mebibytes) =>
        Assert.Equal(mebibytes, KubernetesQuantity.Mebibytes(quantity, "memory limit"));

    [Theory]
    [InlineData("1Gi", 1)]
    [InlineData("500Mi", 1)]
    [InlineData("8Gi", 8)]
    [InlineData("1T", 932)]
    [InlineData("100k", 1)]
    public void StorageBecomesGibibytes(string quantity, long gibibytes) =>
        Assert.Equal(gibibytes, KubernetesQuantity.Gibibytes(quantity, "storage size"));

    [Theory]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("-1Gi")]
    [InlineData("1GB")]
    [InlineData("lots")]
    [InlineData("1e3")]
    public void AnythingElseIsOneSentenceNamingWhatAndTheValue(string quantity)
    {
        var failure = Assert.Throws<GitOpsPublishException>(() => KubernetesQuantity.Mebibytes(quantity, "memory limit of 'cache' in prod"));
        Assert.Equal($"The memory limit of 'cache' in prod is '{quantity}', which is not a positive Kubernetes quantity such as 500m, 2, 512Mi or 1Gi.", failure.Message);
    }
}
