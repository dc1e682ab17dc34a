namespace Stack.Hosting.Tests.GitOps;

/// <summary>
/// Every Terraform file of infra/terraform is as `terraform fmt` writes it. For the add-ons module
/// (Helm and Kubernetes providers, which this machine cannot download) this is all that runs here:
/// it is checked by fmt only (README, "Deploy").
/// </summary>
public sealed class TerraformFormatTests
{
    private static readonly string Modules = Path.Combine(PublishedGraph.RepositoryRoot, "infra", "terraform");

    [Fact]
    public async Task EveryModuleIsFormatted()
    {
        var result = await FormatCheckAsync(Modules);

        Assert.True(result.ExitCode == 0, $"terraform fmt -check -recursive infra/terraform lists files to format (run terraform fmt -recursive infra/terraform):\n{result.AllOutput}");
        Assert.True(Directory.EnumerateFiles(Modules, "*.tf", SearchOption.AllDirectories).Count() >= 10, "The modules are missing.");
    }

    [Fact]
    public async Task AMisformattedFileIsNamed()
    {
        using var copy = TemporaryDirectory.CopyOf(Modules);
        var file = Path.Combine(copy.Path, "aws", "cluster", "variables.tf");
        await File.WriteAllTextAsync(file, (await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken)).Replace("  type        = string", "  type = string", StringComparison.Ordinal), TestContext.Current.CancellationToken);

        var result = await FormatCheckAsync(copy.Path);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains(Path.Combine("aws", "cluster", "variables.tf"), result.StandardOutput);
    }

    [Fact]
    public void TheReadmeSaysWhichProviderModulesAreValidatedHereAndWhichAreCheckedByFmtOnly()
    {
        var readme = File.ReadAllLines(Path.Combine(PublishedGraph.RepositoryRoot, "README.md"));
        var providerModules = Directory.GetDirectories(Path.Combine(Modules, "aws")).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();

        Assert.Contains(providerModules, module => !TerraformAwsModulesTests.ValidatedModules.Contains(module));
        Assert.All(providerModules, module =>
        {
            var row = Assert.Single(readme, line => line.StartsWith($"| `infra/terraform/aws/{module}` |", StringComparison.Ordinal));
            if (TerraformAwsModulesTests.ValidatedModules.Contains(module))
            {
                Assert.Contains("`terraform validate` with the real AWS provider", row);
                Assert.DoesNotContain("fmt only", row);
            }
            else
            {
                Assert.Contains("**checked by fmt only here**", row);
            }
        });
    }

    private static Task<CommandLine.Result> FormatCheckAsync(string folder) =>
        CommandLine.RunAsync(folder, new Dictionary<string, string> { ["CHECKPOINT_DISABLE"] = "1", ["TF_CLI_CONFIG_FILE"] = "/dev/null" }, TimeSpan.FromMinutes(1), "terraform", "fmt", "-check", "-recursive", ".");
}
