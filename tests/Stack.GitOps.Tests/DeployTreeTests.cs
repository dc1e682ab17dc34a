namespace Stack.GitOps.Tests;

/// <summary>The tree's layout: where overlays, the images components, Argo CD and Terraform's inventory live, on disk and as rendered paths.</summary>
public sealed class DeployTreeTests
{
    [Fact]
    public void RenderedPathsFollowTheDocumentedLayout()
    {
        Assert.Equal("base/cache/service.yaml", DeployTree.BaseFile("cache/service.yaml"));
        Assert.Equal("overlays/prod/namespace.yaml", DeployTree.OverlayFile("prod", "namespace.yaml"));
        Assert.Equal("overlays/prod/images/kustomization.yaml", DeployTree.ImagesComponentFile("prod"));
        Assert.Equal("overlays/prod/release.yaml", DeployTree.ReleaseFile("prod"));
        Assert.Equal("argocd/bootstrap.yaml", DeployTree.ArgoCdFile("bootstrap.yaml"));
        Assert.Equal("terraform/prod.tfvars.json", DeployTree.TerraformInventoryFile("prod"));
        Assert.Equal("admission/clusterimagepolicy.yaml", DeployTree.AdmissionFile("clusterimagepolicy.yaml"));
    }

    [Fact]
    public void EnvironmentsAreTheOverlayFoldersInOrdinalOrder()
    {
        using var folder = new TemporaryDirectory();
        foreach (var environment in (string[])["staging", "dev", "prod"])
        {
            Directory.CreateDirectory(Path.Combine(folder.Path, "overlays", environment));
        }

        Directory.CreateDirectory(Path.Combine(folder.Path, "base", "not-an-environment"));
        var tree = new DeployTree(folder.Path);

        Assert.True(tree.Exists);
        Assert.Equal(["dev", "prod", "staging"], tree.Environments());
        Assert.Equal(Path.Combine(folder.Path, "overlays", "prod"), tree.Overlay("prod"));
    }

    [Fact]
    public void AFolderWithoutOverlaysIsNoTreeAndHasNoEnvironments()
    {
        using var folder = new TemporaryDirectory();
        var tree = new DeployTree(Path.Combine(folder.Path, "missing"));

        Assert.False(tree.Exists);
        Assert.Empty(tree.Environments());
        Assert.Empty(tree.ReadPromotedFiles());
    }

    [Fact]
    public void ThePromotedFilesAreEveryEnvironmentsImagesAndReleaseFileThatExist()
    {
        using var folder = new TemporaryDirectory();
        Write(folder.Path, "overlays/dev/images/kustomization.yaml", "dev images");
        Write(folder.Path, "overlays/dev/release.yaml", "dev release");
        Write(folder.Path, "overlays/prod/images/kustomization.yaml", "prod images");
        Write(folder.Path, "overlays/qa/kustomization.yaml", "no images component here");
        Write(folder.Path, "base/release.yaml", "not an environment's");

        var files = new DeployTree(folder.Path).ReadPromotedFiles();

        Assert.Equal(["overlays/dev/images/kustomization.yaml", "overlays/dev/release.yaml", "overlays/prod/images/kustomization.yaml"], files.Keys);
        Assert.Equal("prod images", files["overlays/prod/images/kustomization.yaml"]);
        Assert.Equal("dev release", files[DeployTree.ReleaseFile("dev")]);
    }

    [Fact]
    public void CopyToCopiesEveryFileAndAMissingTreeCopiesNothing()
    {
        using var folder = new TemporaryDirectory();
        Write(folder.Path, "tree/base/kustomization.yaml", "base");
        Write(folder.Path, "tree/overlays/dev/namespace.yaml", "dev");

        new DeployTree(Path.Combine(folder.Path, "tree")).CopyTo(Path.Combine(folder.Path, "copy"));
        new DeployTree(Path.Combine(folder.Path, "missing")).CopyTo(Path.Combine(folder.Path, "empty"));

        Assert.Equal("dev", File.ReadAllText(Path.Combine(folder.Path, "copy", "overlays", "dev", "namespace.yaml")));
        Assert.Equal(2, Directory.GetFiles(Path.Combine(folder.Path, "copy"), "*", SearchOption.AllDirectories).Length);
        Assert.Equal("base", File.ReadAllText(Path.Combine(folder.Path, "copy", "base", "kustomization.yaml")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(folder.Path, "empty")));
    }

    internal static void Write(string root, string relative, string content)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }
}
