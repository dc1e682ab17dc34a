using Stack.GitOps;
using Stack.Hosting.GitOps.Admission;
using Stack.Hosting.GitOps.ArgoCd;
using Stack.Hosting.GitOps.Graph;
using Stack.Hosting.GitOps.Kubernetes;
using Stack.Hosting.GitOps.Terraform;

namespace Stack.Hosting.GitOps.Publishing;

/// <summary>
/// Renders the graph into the GitOps tree (<see cref="DeployTree"/>): <c>base/</c> (one folder per
/// workload plus the namespace's network policies), <c>overlays/&lt;env&gt;/</c>, <c>argocd/</c>,
/// <c>admission/</c> and Terraform's inventory (<c>terraform/</c>).
/// Pure: the same graph and the same committed image components always give the same files.
/// </summary>
internal static class GitOpsRenderer
{
    /// <summary>
    /// Renders the tree. <paramref name="promoted"/> holds the committed files promotion owns, by
    /// path (<see cref="DeployTree.ReadPromotedFiles"/>): an images component is kept, with images it
    /// lacks added; a release file is kept as it is. A tracking environment without a release file
    /// gets one naming the branch; any other stays undeployed until its first promotion.
    /// </summary>
    public static RenderedTree Render(GitOpsEnvironmentResource environment, WorkloadGraph graph, IReadOnlyDictionary<string, string> promoted)
    {
        if (graph.Workloads.Count == 0)
        {
            throw new GitOpsPublishException("The graph has no project or container resource to publish.");
        }

        var tree = new RenderedTree();
        var objects = new List<object>();
        void Add(string path, object manifest)
        {
            objects.Add(manifest);
            tree.Add(path, Yaml.Document(manifest));
        }

        var baseResources = new List<string>();
        void AddToBase(string file, object manifest)
        {
            Add(DeployTree.BaseFile(file), manifest);
            baseResources.Add(file);
        }

        var network = new NetworkPolicies(environment, graph.Edges);
        foreach (var (file, manifest) in network.RenderNamespacePolicies())
        {
            AddToBase($"network/{file}", manifest);
        }

        var waves = SyncWaves.Of(graph);
        foreach (var workload in graph.Workloads)
        {
            foreach (var (file, manifest) in new WorkloadManifests(environment, workload, waves[workload]).Render())
            {
                AddToBase($"{workload.Name}/{file}", manifest);
            }

            AddToBase($"{workload.Name}/networkpolicy.yaml", network.Render(workload));
            if (workload.Settings.MigrationArgs is not null)
            {
                AddToBase($"{workload.Name}/migration-job-networkpolicy.yaml", network.RenderMigrationJob(workload));
            }
        }

        tree.Add(DeployTree.BaseFile(DeployTree.Kustomization), Yaml.Document(Yaml.Map(
            ("apiVersion", "kustomize.config.k8s.io/v1beta1"),
            ("kind", "Kustomization"),
            ("resources", baseResources.Order(StringComparer.Ordinal).Cast<object>().ToList()))));

        var builtImages = graph.Workloads.Where(w => w.IsBuiltByUs).Select(w => (w.ImageName, environment.InitialImageTag)).ToList();
        foreach (var target in environment.Environments)
        {
            var released = promoted.ContainsKey(DeployTree.ReleaseFile(target.Name)) || environment.TracksBranch(target);
            foreach (var (file, manifest) in new OverlayManifests(environment, target, graph, released).Render())
            {
                // The kustomization is kustomize's input, not an object the cluster receives.
                if (file == DeployTree.Kustomization)
                {
                    tree.Add(DeployTree.OverlayFile(target.Name, file), Yaml.Document(manifest));
                }
                else
                {
                    Add(DeployTree.OverlayFile(target.Name, file), manifest);
                }
            }

            var images = promoted.TryGetValue(DeployTree.ImagesComponentFile(target.Name), out var committed)
                ? ImagesComponent.AddMissing(committed, builtImages)
                : ImagesComponent.Create(builtImages);
            tree.Add(DeployTree.ImagesComponentFile(target.Name), images);

            if (promoted.TryGetValue(DeployTree.ReleaseFile(target.Name), out var release))
            {
                tree.Add(DeployTree.ReleaseFile(target.Name), release);
            }
            else if (environment.TracksBranch(target))
            {
                tree.Add(DeployTree.ReleaseFile(target.Name), ReleaseFile.Create(environment.Revision));
            }
        }

        foreach (var (file, manifest) in new ArgoCdManifests(environment, NamespacedKinds(objects)).Render())
        {
            tree.Add(DeployTree.ArgoCdFile(file), Yaml.Document(manifest));
        }

        // Only signed images of ours run: the registries our images live in, under the CI key.
        if (environment.SigningPublicKey is not null)
        {
            var registries = builtImages.Select(image => image.ImageName[..image.ImageName.LastIndexOf('/')]).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            foreach (var (file, manifest) in new ImageAdmissionManifests(environment, registries).Render())
            {
                tree.Add(DeployTree.AdmissionFile(file), Yaml.Document(manifest));
            }
        }

        foreach (var (file, content) in DataStoreInventory.Render(environment, graph))
        {
            tree.Add(file, content);
        }

        return tree;
    }

    private static List<(string Group, string Kind)> NamespacedKinds(IEnumerable<object> objects) => objects
        .OfType<OrderedDictionary<string, object>>()
        .Select(o => (Group: ((string)o["apiVersion"]).Contains('/') ? ((string)o["apiVersion"]).Split('/')[0] : "", Kind: (string)o["kind"]))
        .Where(k => k.Kind != "Namespace")
        .Distinct()
        .OrderBy(k => k.Group, StringComparer.Ordinal).ThenBy(k => k.Kind, StringComparer.Ordinal)
        .ToList();
}
