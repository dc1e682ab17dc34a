using System.Text.Json;
using Aspire.Hosting;

namespace Stack.Hosting.Tests.GitOps;

/// <summary>
/// `aspire publish` writes Terraform's inventory (terraform/&lt;env&gt;.tfvars.json) from the graph, and
/// the real terraform, planning infra/terraform/inventory against it, shows a new cache before it exists.
/// </summary>
public sealed class TerraformInventoryTests
{
    private static readonly TimeSpan TerraformTimeout = TimeSpan.FromMinutes(2);

    private delegate Task<CommandLine.Result> TerraformCommand(string module, params string[] args);

    private static readonly string InventoryModule = Path.Combine(PublishedGraph.RepositoryRoot, "infra", "terraform", "inventory");

    private static readonly string[] ServerKey = [$"--Parameters:server-key={GitOpsPublishTests.ServerKey}"];

    [Fact]
    public async Task EachCacheAndDatabaseIsListedWithTheSizeEachEnvironmentGivesIt()
    {
        using var work = new TemporaryDirectory();
        await PublishedGraph.PublishAsync(work.Path, builder =>
        {
            GitOpsPublishTests.GameGraph(builder);
            var gitops = builder.Resources.OfType<Stack.Hosting.GitOps.GitOpsEnvironmentResource>().Single();
            var cache = builder.CreateResourceBuilder(builder.Resources.Single(r => r.Name == "cache"));
            gitops.Environments.Single(e => e.Name == "prod").WithSize(cache, "250m", "1500m", "1Gi", "3Gi");
        }, ServerKey);

        using var prod = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(work.Path, "terraform", "prod.tfvars.json"), TestContext.Current.CancellationToken));
        var root = prod.RootElement;
        Assert.Equal("prod", root.GetProperty("environment").GetString());
        Assert.Equal(["cache"], root.GetProperty("redis").EnumerateObject().Select(p => p.Name));
        Assert.Equal(["postgres"], root.GetProperty("postgres").EnumerateObject().Select(p => p.Name));

        // prod's own size of the cache, as numbers a cloud sizes by: 1500m, 3Gi.
        var cache = root.GetProperty("redis").GetProperty("cache");
        Assert.Equal(1500, cache.GetProperty("cpu_millicores").GetInt32());
        Assert.Equal(3072, cache.GetProperty("memory_mib").GetInt32());
        Assert.Equal("8.2.1", cache.GetProperty("engine_version").GetString());
        var postgres = root.GetProperty("postgres").GetProperty("postgres");
        Assert.Equal(["scores"], postgres.GetProperty("databases").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal("15.14", postgres.GetProperty("engine_version").GetString());

        // dev keeps the cache's default size: a size is per environment.
        using var dev = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(work.Path, "terraform", "dev.tfvars.json"), TestContext.Current.CancellationToken));
        Assert.NotEqual(3072, dev.RootElement.GetProperty("redis").GetProperty("cache").GetProperty("memory_mib").GetInt32());
    }

    [Fact]
    public async Task AQuantityNoCloudCanSizeFailsPublishWithOneSentenceAndWritesNothing()
    {
        using var work = new TemporaryDirectory();
        var target = Path.Combine(work.Path, "deploy");
        var failure = await PublishedGraph.PublishFailureAsync(target, builder =>
        {
            GitOpsPublishTests.GameGraph(builder);
            var gitops = builder.Resources.OfType<Stack.Hosting.GitOps.GitOpsEnvironmentResource>().Single();
            var cache = builder.CreateResourceBuilder(builder.Resources.Single(r => r.Name == "cache"));
            gitops.Environments.Single(e => e.Name == "prod").WithSize(cache, "250m", "a lot", "1Gi", "3Gi");
        }, ServerKey);

        Assert.Equal("The CPU limit of 'cache' in prod is 'a lot', which is not a positive Kubernetes quantity such as 500m, 2, 512Mi or 1Gi.", failure);
        Assert.False(Directory.Exists(target));
    }

    [Fact]
    public async Task AddingARedisResourcePlansExactlyOneCreateForTheNewCache()
    {
        using var work = new TemporaryDirectory();
        var original = Path.Combine(work.Path, "original");
        var changed = Path.Combine(work.Path, "changed");
        await PublishedGraph.PublishAsync(original, GitOpsPublishTests.GameGraph, ServerKey);
        await PublishedGraph.PublishAsync(changed, builder =>
        {
            GitOpsPublishTests.GameGraph(builder);
            Assert.True(builder.TryChooseLocalInfrastructure(out var infrastructure, out var problem), problem);
            infrastructure.AddRedis("sessions");
        }, ServerKey);

        // The module as committed, in a folder of this test; its state is what the original graph created.
        var module = Path.Combine(work.Path, "module");
        TemporaryDirectory.CopyTree(InventoryModule, module);
        var state = Path.Combine(work.Path, "terraform.tfstate");
        var terraform = Terraform(work.Path);
        await terraform(module, "init", "-backend=false", "-input=false");
        await terraform(module, "apply", "-auto-approve", "-input=false", $"-state={state}", $"-var-file={Path.Combine(original, "terraform", "dev.tfvars.json")}");

        var plan = Path.Combine(work.Path, "sessions.tfplan");
        var planned = await terraform(module, "plan", "-detailed-exitcode", "-input=false", $"-state={state}", $"-out={plan}", $"-var-file={Path.Combine(changed, "terraform", "dev.tfvars.json")}");
        Assert.Equal(2, planned.ExitCode);

        var shown = await terraform(module, "show", "-json", plan);
        using var json = JsonDocument.Parse(shown.StandardOutput);
        var changes = json.RootElement.GetProperty("resource_changes").EnumerateArray()
            .Select(change => (Address: change.GetProperty("address").GetString(), Actions: string.Join('+', change.GetProperty("change").GetProperty("actions").EnumerateArray().Select(a => a.GetString()))))
            .ToList();
        Assert.Equal([("terraform_data.redis[\"sessions\"]", "create")], changes.Where(c => c.Actions != "no-op"));
        Assert.Contains(("terraform_data.redis[\"cache\"]", "no-op"), changes);
        Assert.Contains(("terraform_data.postgres[\"postgres\"]", "no-op"), changes);
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("staging")]
    [InlineData("prod")]
    public async Task EveryCommittedEnvironmentPlansAgainstTheInventoryModule(string environment)
    {
        using var work = new TemporaryDirectory();
        var module = Path.Combine(work.Path, "module");
        TemporaryDirectory.CopyTree(InventoryModule, module);
        var terraform = Terraform(work.Path);
        await terraform(module, "init", "-backend=false", "-input=false");

        var inventory = Path.Combine(PublishedGraph.RepositoryRoot, "infra", "deploy", "terraform", $"{environment}.tfvars.json");
        var plan = Path.Combine(work.Path, "plan");
        var planned = await terraform(module, "plan", "-detailed-exitcode", "-input=false", $"-state={Path.Combine(work.Path, "empty.tfstate")}", $"-out={plan}", $"-var-file={inventory}");
        Assert.Equal(2, planned.ExitCode);

        using var json = JsonDocument.Parse((await terraform(module, "show", "-json", plan)).StandardOutput);
        var created = json.RootElement.GetProperty("resource_changes").EnumerateArray().Select(c => c.GetProperty("address").GetString()).Order(StringComparer.Ordinal);
        Assert.Equal(["terraform_data.postgres[\"postgres\"]", "terraform_data.redis[\"cache\"]"], created);
    }

    /// <summary>
    /// The real terraform, offline and with nothing of the machine's: a CLI configuration of its own
    /// (empty), its working data in <paramref name="work"/>. Exit codes other than 0 and 2 (a plan
    /// with changes) fail the test with terraform's output.
    /// </summary>
    private static TerraformCommand Terraform(string work)
    {
        var configuration = Path.Combine(work, "terraformrc");
        File.WriteAllText(configuration, "");
        var environment = new Dictionary<string, string>
        {
            ["TF_IN_AUTOMATION"] = "1",
            ["TF_INPUT"] = "0",
            ["CHECKPOINT_DISABLE"] = "1",
            ["TF_CLI_CONFIG_FILE"] = configuration,
            ["TF_DATA_DIR"] = Path.Combine(work, "terraform-data"),
        };
        return async (module, args) =>
        {
            var result = await CommandLine.RunAsync(module, environment, TerraformTimeout, "terraform", ["-chdir=" + module, .. args]);
            Assert.True(result.ExitCode is 0 or 2, $"terraform {string.Join(' ', args)} exited {result.ExitCode}:\n{result.AllOutput}");
            return result;
        };
    }
}
