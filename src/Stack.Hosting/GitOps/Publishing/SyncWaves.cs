using Stack.Hosting.GitOps.Graph;

namespace Stack.Hosting.GitOps.Publishing;

/// <summary>
/// Argo CD applies lower sync waves first and waits for them to be healthy: a workload's wave is
/// one more than the highest wave of what it references (one more again after its migration Job),
/// so data stores start before migrations, and migrations finish before the services roll out.
/// </summary>
internal static class SyncWaves
{
    public static Dictionary<Workload, int> Of(WorkloadGraph graph)
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
            var wave = graph.Edges.Where(e => e.Source == workload).Select(e => WaveOf(e.Target, visiting) + 1).DefaultIfEmpty(0).Max()
                + (workload.Settings.MigrationArgs is null ? 0 : 1);
            visiting.Remove(workload);
            return waves[workload] = wave;
        }

        foreach (var workload in graph.Workloads)
        {
            WaveOf(workload, []);
        }

        return waves;
    }
}
