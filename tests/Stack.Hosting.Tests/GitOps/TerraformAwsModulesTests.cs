namespace Stack.Hosting.Tests.GitOps;

/// <summary>
/// The AWS modules whose only provider is AWS initialise against their committed lock file (the
/// provider's checksum must match it) and pass `terraform validate` with the real provider. This
/// machine cannot download providers: it has the locked AWS provider in a local mirror
/// (STACK_TERRAFORM_PLUGIN_DIR, by default /opt/tf-plugins); elsewhere terraform downloads it.
/// The add-ons module needs the Helm and Kubernetes providers too, which are not here: it is checked
/// by fmt only (TerraformFormatTests), as the README says.
/// </summary>
public sealed class TerraformAwsModulesTests
{
    /// <summary>The modules validated here; every other module under infra/terraform/aws is fmt-checked only.</summary>
    internal static readonly string[] ValidatedModules = ["cluster", "data-stores"];

    private static readonly string Aws = Path.Combine(PublishedGraph.RepositoryRoot, "infra", "terraform", "aws");

    public static TheoryData<string> Modules => new(ValidatedModules);

    [Theory]
    [MemberData(nameof(Modules))]
    public async Task TheModuleIsValidWithTheLockedProvider(string module)
    {
        using var work = new TemporaryDirectory();
        var copy = Path.Combine(work.Path, module);
        TemporaryDirectory.CopyTree(Path.Combine(Aws, module), copy);

        var result = await InitAndValidateAsync(work.Path, copy);

        Assert.True(result.ExitCode == 0, result.AllOutput);
        Assert.Contains("The configuration is valid", result.StandardOutput);
    }

    [Fact]
    public async Task AReferenceToNothingFailsValidation()
    {
        using var work = new TemporaryDirectory();
        var copy = Path.Combine(work.Path, "data-stores");
        TemporaryDirectory.CopyTree(Path.Combine(Aws, "data-stores"), copy);
        var main = Path.Combine(copy, "main.tf");
        var text = await File.ReadAllTextAsync(main, TestContext.Current.CancellationToken);
        Assert.Contains("aws_elasticache_subnet_group.this.name", text);
        await File.WriteAllTextAsync(main, text.Replace("aws_elasticache_subnet_group.this.name", "aws_elasticache_subnet_group.missing.name", StringComparison.Ordinal), TestContext.Current.CancellationToken);

        var result = await InitAndValidateAsync(work.Path, copy);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("aws_elasticache_subnet_group.missing", result.AllOutput);
    }

    [Fact]
    public async Task ALockFileWithAnotherChecksumStopsInit()
    {
        using var work = new TemporaryDirectory();
        var copy = Path.Combine(work.Path, "data-stores");
        TemporaryDirectory.CopyTree(Path.Combine(Aws, "data-stores"), copy);
        var lockFile = Path.Combine(copy, ".terraform.lock.hcl");
        var text = await File.ReadAllTextAsync(lockFile, TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(lockFile, System.Text.RegularExpressions.Regex.Replace(text, "\"h1:[^\"]+\"", "\"h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\""), TestContext.Current.CancellationToken);
        // Without zh: checksums too, only the h1: one is left to compare with the package here.
        await File.WriteAllTextAsync(lockFile, System.Text.RegularExpressions.Regex.Replace(await File.ReadAllTextAsync(lockFile, TestContext.Current.CancellationToken), "\\s*\"zh:[0-9a-f]+\",", ""), TestContext.Current.CancellationToken);

        var result = await InitAndValidateAsync(work.Path, copy);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("checksum", result.AllOutput, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>`terraform init -backend=false -lockfile=readonly` (from the local mirror when there is one), then `terraform validate`.</summary>
    private static async Task<CommandLine.Result> InitAndValidateAsync(string work, string module)
    {
        var configuration = Path.Combine(work, "terraformrc");
        await File.WriteAllTextAsync(configuration, "", TestContext.Current.CancellationToken);
        var environment = new Dictionary<string, string>
        {
            ["TF_IN_AUTOMATION"] = "1",
            ["CHECKPOINT_DISABLE"] = "1",
            ["TF_CLI_CONFIG_FILE"] = configuration,
            ["TF_DATA_DIR"] = Path.Combine(work, "terraform-data"),
        };
        var mirror = Environment.GetEnvironmentVariable("STACK_TERRAFORM_PLUGIN_DIR") is { Length: > 0 } configured ? configured : "/opt/tf-plugins";
        string[] init = ["-chdir=" + module, "init", "-backend=false", "-input=false", "-lockfile=readonly", "-no-color"];
        if (Directory.Exists(mirror))
        {
            init = [.. init, "-plugin-dir=" + mirror];
        }

        var initialised = await CommandLine.RunAsync(module, environment, TimeSpan.FromMinutes(3), "terraform", init);
        if (initialised.ExitCode != 0)
        {
            return initialised;
        }

        return await CommandLine.RunAsync(module, environment, TimeSpan.FromMinutes(2), "terraform", "-chdir=" + module, "validate", "-no-color");
    }
}
