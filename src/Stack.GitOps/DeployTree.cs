namespace Stack.GitOps;

/// <summary>
/// The layout of the GitOps tree that <c>aspire publish</c> writes and Argo CD syncs (by default
/// <c>infra/deploy</c>), and the one place that knows it:
/// <code>
/// base/&lt;workload&gt;/...          one folder per workload, plus base/network/
/// base/kustomization.yaml
/// overlays/&lt;env&gt;/...           one kustomize overlay per environment
/// overlays/&lt;env&gt;/images/       the image tags of that environment, owned by promotion
/// overlays/&lt;env&gt;/release.yaml  the git revision Argo CD deploys there, owned by promotion
/// admission/...                 cluster-wide admission: only signed images run (sigstore's ClusterImagePolicy)
/// argocd/...                    AppProjects, ApplicationSet, bootstrap Application
/// terraform/&lt;env&gt;.tfvars.json   Terraform's inventory: the environment's caches and databases
/// </code>
/// Static members give paths relative to the tree ('/'-separated, as rendered files and
/// kustomizations name them); an instance resolves them under a folder on disk.
/// </summary>
/// <param name="root">The tree's folder on disk.</param>
public sealed class DeployTree(string root)
{
    /// <summary>Where the tree lives in the repository unless the AppHost says otherwise.</summary>
    public const string DefaultRepositoryPath = "infra/deploy";

    /// <summary>The folder of the workloads' base manifests.</summary>
    public const string BaseFolder = "base";

    /// <summary>The folder of Argo CD's applications.</summary>
    public const string ArgoCdFolder = "argocd";

    /// <summary>The folder of the cluster-wide admission objects publish renders (the signed-images policy), synced by their own Application.</summary>
    public const string AdmissionFolder = "admission";

    /// <summary>
    /// The folder of Terraform's inventory. Inside the tree, so it is staged, swapped and drift-checked
    /// with it, while the Terraform modules in <c>infra/terraform</c> stay hand-written; no Argo CD
    /// application points at it.
    /// </summary>
    public const string TerraformFolder = "terraform";

    /// <summary>The file kustomize reads in every folder it builds.</summary>
    public const string Kustomization = "kustomization.yaml";

    private const string OverlaysFolder = "overlays";

    /// <summary>The images component's folder inside an overlay, as the overlay's kustomization names it.</summary>
    public const string ImagesComponentFolder = "images";

    /// <summary>The base, as an overlay's kustomization names it.</summary>
    public const string BaseFromOverlay = "../../" + BaseFolder;

    /// <summary>The tree's folder on disk.</summary>
    public string Root { get; } = Path.GetFullPath(root);

    /// <summary>The folder of <paramref name="environment"/>'s overlay, relative to the tree.</summary>
    public static string OverlayPath(string environment) => $"{OverlaysFolder}/{environment}";

    /// <summary>A file of <paramref name="environment"/>'s overlay, relative to the tree.</summary>
    public static string OverlayFile(string environment, string file) => $"{OverlayPath(environment)}/{file}";

    /// <summary>The images component of <paramref name="environment"/>, relative to the tree.</summary>
    public static string ImagesComponentFile(string environment) => OverlayFile(environment, $"{ImagesComponentFolder}/{Kustomization}");

    /// <summary>The release file of <paramref name="environment"/> (the git revision it runs), relative to the tree.</summary>
    public static string ReleaseFile(string environment) => OverlayFile(environment, ReleaseFileName);

    private const string ReleaseFileName = "release.yaml";

    /// <summary>The Namespace of an overlay, as its kustomization names it.</summary>
    public const string NamespaceFileName = "namespace.yaml";

    /// <summary>
    /// The label of an environment's Namespace that says whether it has a release file (so Argo CD
    /// deploys it): <c>"true"</c> or <c>"false"</c>. Publish renders it from the release file; the
    /// first revision promotion, which creates the release file, sets it (one line of the Namespace).
    /// </summary>
    public const string ReleasedLabel = "stack.dev/released";

    /// <summary>The Namespace of <paramref name="environment"/>'s overlay, relative to the tree.</summary>
    public static string NamespaceFile(string environment) => OverlayFile(environment, NamespaceFileName);

    /// <summary>A file of the base, relative to the tree (e.g. <c>cache/service.yaml</c> → <c>base/cache/service.yaml</c>).</summary>
    public static string BaseFile(string file) => $"{BaseFolder}/{file}";

    /// <summary>A file of the admission folder, relative to the tree.</summary>
    public static string AdmissionFile(string file) => $"{AdmissionFolder}/{file}";

    /// <summary>
    /// Terraform's inventory of <paramref name="environment"/>, relative to the tree. Not
    /// <c>.auto.tfvars.json</c>: Terraform would load every environment's file of a folder at once, so a
    /// root module is planned with <c>-var-file</c> naming one environment's file.
    /// </summary>
    public static string TerraformInventoryFile(string environment) => $"{TerraformFolder}/{environment}.tfvars.json";

    /// <summary>A file of Argo CD's folder, relative to the tree.</summary>
    public static string ArgoCdFile(string file) => $"{ArgoCdFolder}/{file}";

    /// <summary>Whether the tree has been published here: it has an overlays folder.</summary>
    public bool Exists => Directory.Exists(Resolve(OverlaysFolder));

    /// <summary>The environments published here (overlay folders), in ordinal order.</summary>
    public IReadOnlyList<string> Environments() => !Exists
        ? []
        : Directory.GetDirectories(Resolve(OverlaysFolder)).Select(folder => Path.GetFileName(folder)!).Order(StringComparer.Ordinal).ToList();

    /// <summary>The folder of <paramref name="environment"/>'s overlay on disk.</summary>
    public string Overlay(string environment) => Resolve(OverlayPath(environment));

    /// <summary>The images component of <paramref name="environment"/> on disk.</summary>
    public string ImagesComponent(string environment) => Resolve(ImagesComponentFile(environment));

    /// <summary>
    /// The files promotion owns (every environment's images component and release file), as
    /// committed, by their path relative to the tree: publish reads them before it renders and
    /// keeps them. Files that do not exist are left out.
    /// </summary>
    public IReadOnlyDictionary<string, string> ReadPromotedFiles()
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var environment in Environments())
        {
            foreach (var relative in (string[])[ImagesComponentFile(environment), ReleaseFile(environment)])
            {
                if (File.Exists(Resolve(relative)))
                {
                    files[relative] = File.ReadAllText(Resolve(relative));
                }
            }
        }

        return files;
    }

    /// <summary>Copies every file of the tree to the same relative path under <paramref name="destination"/> (nothing when the tree is missing).</summary>
    public void CopyTo(string destination)
    {
        Directory.CreateDirectory(destination);
        if (!Directory.Exists(Root))
        {
            return;
        }

        // Stryker disable once String : .NET reads an empty pattern as "*", so that mutant is the same program
        foreach (var file in Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(destination, Path.GetRelativePath(Root, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    /// <summary>The absolute path of <paramref name="relative"/> ('/'-separated) inside the tree.</summary>
    public string Resolve(string relative) => Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));
}
