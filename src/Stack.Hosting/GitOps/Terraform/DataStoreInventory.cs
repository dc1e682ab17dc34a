using System.Text;
using System.Text.Json;
using Aspire.Hosting.ApplicationModel;
using Stack.GitOps;
using Stack.Hosting.GitOps.Graph;

namespace Stack.Hosting.GitOps.Terraform;

/// <summary>
/// Renders Terraform's inventory (<see cref="DeployTree.TerraformInventoryFile"/>): per environment, every
/// Redis and PostgreSQL server of the graph with its engine version and the size that environment
/// gives it on Kubernetes, so the cloud's managed caches and databases come from the same graph.
/// Pure: the same graph gives the same bytes (stores in ordinal order, fixed keys, '\n' line ends).
/// </summary>
internal static class DataStoreInventory
{
    /// <summary>One <c>terraform/&lt;env&gt;.tfvars.json</c> per environment, by its path in the tree.</summary>
    public static IEnumerable<(string File, string Content)> Render(GitOpsEnvironmentResource environment, WorkloadGraph graph)
    {
        var stores = graph.Workloads.Where(w => w.Resource is RedisResource or PostgresServerResource).OrderBy(w => w.Name, StringComparer.Ordinal).ToList();
        return environment.Environments.Select(target => (DeployTree.TerraformInventoryFile(target.Name), Render(target, stores)));
    }

    private static string Render(DeployEnvironment target, List<Workload> stores)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, NewLine = "\n" }))
        {
            json.WriteStartObject();
            json.WriteString("environment", target.Name);

            // Terraform's variables: one map per engine, keyed by the graph's resource name.
            json.WriteStartObject("redis");
            foreach (var store in stores.Where(s => s.Resource is RedisResource))
            {
                json.WriteStartObject(store.Name);
                WriteSize(json, target, store);
                json.WriteEndObject();
            }

            json.WriteEndObject();

            json.WriteStartObject("postgres");
            foreach (var store in stores.Where(s => s.Resource is PostgresServerResource))
            {
                json.WriteStartObject(store.Name);
                json.WriteStartArray("databases");
                foreach (var database in ((PostgresServerResource)store.Resource).Databases.Values.Order(StringComparer.Ordinal))
                {
                    json.WriteStringValue(database);
                }

                json.WriteEndArray();
                WriteSize(json, target, store);
                json.WriteEndObject();
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    // The limits, not the requests: a managed instance is sized for the most the workload may use.
    private static void WriteSize(Utf8JsonWriter json, DeployEnvironment target, Workload store)
    {
        var (cpu, memory) = target.Sizes.TryGetValue(store.Name, out var size)
            ? (size.CpuLimit, size.MemoryLimit)
            : (store.Settings.CpuLimit, store.Settings.MemoryLimit);
        json.WriteNumber("cpu_millicores", KubernetesQuantity.Millicores(cpu, $"CPU limit of '{store.Name}' in {target.Name}"));
        json.WriteString("engine_version", store.ImageTag!.Split('@')[0]);
        json.WriteNumber("memory_mib", KubernetesQuantity.Mebibytes(memory, $"memory limit of '{store.Name}' in {target.Name}"));
        json.WriteNumber("storage_gib", KubernetesQuantity.Gibibytes(store.Settings.StorageSize, $"storage size of '{store.Name}'"));
    }
}
