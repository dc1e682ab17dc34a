using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace Stack.Hosting.GitOps.Rendering;

/// <summary>
/// Renders the graph into the GitOps tree: <c>base/</c> (one folder per workload plus the
/// namespace's network policies), <c>overlays/&lt;env&gt;/</c> and <c>argocd/</c>. Pure: the same
/// graph and the same existing image components always give the same files.
/// </summary>
internal sealed class GitOpsRenderer(GitOpsEnvironmentResource environment)
{
    /// <summary>Renders the tree. <paramref name="existingImages"/> reads an environment's committed images component, if any.</summary>
    public async Task<RenderedTree> RenderAsync(
        DistributedApplicationModel model,
        DistributedApplicationExecutionContext executionContext,
        Func<string, string?> existingImages,
        CancellationToken cancellationToken)
    {
        var (workloads, edges) = await new GraphReader(model, executionContext, environment).ReadAsync(cancellationToken);
        if (workloads.Count == 0)
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
        var network = new NetworkPolicies(environment, edges);
        foreach (var (file, manifest) in network.RenderNamespacePolicies())
        {
            Add($"base/network/{file}", manifest);
            baseResources.Add($"network/{file}");
        }

        var waves = SyncWaves(workloads, edges);
        foreach (var workload in workloads)
        {
            foreach (var (file, manifest) in new WorkloadManifests(environment, workload, waves[workload]).Render())
            {
                Add($"base/{workload.Name}/{file}", manifest);
                baseResources.Add($"{workload.Name}/{file}");
            }

            Add($"base/{workload.Name}/networkpolicy.yaml", network.Render(workload));
            baseResources.Add($"{workload.Name}/networkpolicy.yaml");
            if (workload.Settings.MigrationArgs is not null)
            {
                Add($"base/{workload.Name}/migration-job-networkpolicy.yaml", network.RenderMigrationJob(workload));
                baseResources.Add($"{workload.Name}/migration-job-networkpolicy.yaml");
            }
        }

        tree.Add("base/kustomization.yaml", Yaml.Document(Yaml.Map(
            ("apiVersion", "kustomize.config.k8s.io/v1beta1"),
            ("kind", "Kustomization"),
            ("resources", baseResources.Order(StringComparer.Ordinal).Cast<object>().ToList()))));

        var builtImages = workloads.Where(w => w.IsBuiltByUs).Select(w => (w.ImageName, environment.InitialImageTag)).ToList();
        foreach (var target in environment.Environments)
        {
            foreach (var (file, manifest) in new OverlayManifests(environment, target, workloads).Render())
            {
                if (file == "kustomization.yaml")
                {
                    tree.Add($"overlays/{target.Name}/{file}", Yaml.Document(manifest));
                }
                else
                {
                    Add($"overlays/{target.Name}/{file}", manifest);
                }
            }

            var images = existingImages(target.Name) is { } committed
                ? ImagesComponent.AddMissing(committed, builtImages)
                : ImagesComponent.Create(builtImages);
            tree.Add($"overlays/{target.Name}/{ImagesComponent.FileName}", images);
        }

        foreach (var (file, manifest) in new ArgoCdManifests(environment, NamespacedKinds(objects)).Render())
        {
            tree.Add($"argocd/{file}", Yaml.Document(manifest));
        }

        return tree;
    }

    /// <summary>
    /// Argo CD applies lower waves first and waits for them to be healthy: a workload's wave is one
    /// more than the highest wave of what it references (one more again after its migration Job),
    /// so data stores start before migrations, and migrations finish before the services roll out.
    /// </summary>
    private static Dictionary<Workload, int> SyncWaves(IReadOnlyList<Workload> workloads, IReadOnlyList<WorkloadEdge> edges)
    {
        var waves = new Dictionary<Workload, int>();
        int WaveOf(Workload workload, HashSet<Workload> visiting)
        {
            if (waves.TryGetValue(workload, out var known))
            {
                return known;
            }

            if (!visiting.Add(workload))
            {
                return 0; // A reference cycle: both sides start together.
            }

            // A migration Job takes the wave after the workload's dependencies; the workload the next.
            var wave = edges.Where(e => e.Source == workload).Select(e => WaveOf(e.Target, visiting) + 1).DefaultIfEmpty(0).Max()
                + (workload.Settings.MigrationArgs is null ? 0 : 1);
            visiting.Remove(workload);
            return waves[workload] = wave;
        }

        foreach (var workload in workloads)
        {
            WaveOf(workload, []);
        }

        return waves;
    }

    private static List<(string Group, string Kind)> NamespacedKinds(IEnumerable<object> objects) => objects
        .OfType<OrderedDictionary<string, object>>()
        .Select(o => (Group: ((string)o["apiVersion"]).Contains('/') ? ((string)o["apiVersion"]).Split('/')[0] : "", Kind: (string)o["kind"]))
        .Where(k => k.Kind != "Namespace")
        .Distinct()
        .OrderBy(k => k.Group, StringComparer.Ordinal).ThenBy(k => k.Kind, StringComparer.Ordinal)
        .ToList();
}
