using System.Text.Json;

namespace Stack.Cli.Tests;

/// <summary>`stack policy check` run as a real process, as CI runs it: exit codes, table, JSON, stdin, kustomizations.</summary>
public sealed class PolicyCheckCliTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);

    private static string Failing(string policy, string file) => Path.Combine(Repository.Fixtures, "Failing", policy, file);

    [Fact]
    public async Task ThePoliciesFolderIsRenderedByKustomizeAndPassesWithExitCodeZero()
    {
        // The count comes from kustomize itself, so a policy file added to the folder changes both sides.
        var rendered = await CommandLine.RunAsync(Repository.Root, new Dictionary<string, string>(), Timeout, "kubectl", "kustomize", "infra/policies");
        var objects = rendered.StandardOutput.Split('\n').Count(line => line.StartsWith("kind: ", StringComparison.Ordinal));

        var result = await StackAsync("policy", "check", "infra/policies");

        Assert.Equal(0, rendered.ExitCode);
        Assert.True(objects > 20, $"kustomize rendered only {objects} objects from infra/policies");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal($"{objects} objects checked, no violations", result.StandardOutput.Trim());
        Assert.Empty(result.StandardError);
    }

    [Fact]
    public async Task AViolationIsATableRowWithPolicyObjectFileLineAndMessageAndExitCodeOne()
    {
        var fixture = Failing("stack-image-tags", "cronjob-init-latest.yaml");

        var result = await StackAsync("policy", "check", Repository.Fixtures + "/Passing", fixture);

        Assert.Equal(1, result.ExitCode);
        var lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^POLICY\s+OBJECT\s+LOCATION\s+MESSAGE$", lines[0]);
        Assert.Matches(
            $@"^stack-image-tags\s+CronJob/leaderboard-reset \(games\)\s+{System.Text.RegularExpressions.Regex.Escape(fixture)}:3\s+images must be pinned .*: migrate \(ghcr.io/stack-games/leaderboard-api:latest\)$",
            lines[1]);
        Assert.Equal("27 objects checked, 1 violation", lines[^1]);
        Assert.DoesNotContain('\u001b', result.StandardOutput);
    }

    [Fact]
    public async Task JsonFormatWritesTheWholeReport()
    {
        var result = await StackAsync("policy", "check", "--format", "json", Failing("stack-probes", "pod-no-probes.yaml"));

        Assert.Equal(1, result.ExitCode);
        using var json = JsonDocument.Parse(result.StandardOutput);
        Assert.Equal(1, json.RootElement.GetProperty("objectsChecked").GetInt32());
        Assert.False(json.RootElement.GetProperty("passed").GetBoolean());
        var violation = Assert.Single(json.RootElement.GetProperty("violations").EnumerateArray());
        Assert.Equal("stack-probes", violation.GetProperty("policy").GetString());
        Assert.Equal("Pod", violation.GetProperty("kind").GetString());
        Assert.Equal(3, violation.GetProperty("line").GetInt32());
        Assert.Contains("livenessProbe and readinessProbe: api", violation.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StandardInputIsReadForADash()
    {
        var yaml = File.ReadAllText(Failing("stack-configmap-secrets", "configmap-api-key.yaml"));

        var result = await CommandLine.PipeAsync(yaml, Repository.Root, Timeout, "dotnet", Repository.Cli, "policy", "check", "-");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("<stdin>:3", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("Leaderboard__AdminKey", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AKustomizationFolderIsCheckedAsKubectlRendersIt()
    {
        using var folder = new TemporaryDirectory();
        // The base alone passes; the overlay's patch turns the image to :latest, which only the rendering shows.
        File.Copy(Path.Combine(Repository.Fixtures, "Passing", "deployment.yaml"), Path.Combine(folder.Path, "deployment.yaml"));
        File.WriteAllText(Path.Combine(folder.Path, "kustomization.yaml"), "resources: [deployment.yaml]\nimages: [{name: ghcr.io/stack-games/leaderboard-api, newTag: latest}]\n");

        var result = await StackAsync("policy", "check", folder.Path);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{folder.Path} (kustomize):1", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("stack-image-tags", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMissingPathIsUnusableInputWithExitCodeTwo()
    {
        var result = await StackAsync("policy", "check", "no/such/folder");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("no/such/folder: no such file or folder", result.StandardError.Trim());
    }

    [Fact]
    public async Task UnparsableYamlIsReportedWithItsLineAndExitCodeTwo()
    {
        using var folder = new TemporaryDirectory();
        var file = Path.Combine(folder.Path, "broken.yaml");
        File.WriteAllText(file, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [unclosed\n");

        var result = await StackAsync("policy", "check", file);

        Assert.Equal(2, result.ExitCode);
        Assert.Matches($@"^{System.Text.RegularExpressions.Regex.Escape(file)}:\d+: not valid YAML", result.StandardError);
        AssertNoStackTrace(result);
    }

    [Fact]
    public async Task NoPoliciesIsUnusableInputWithExitCodeTwo()
    {
        using var empty = new TemporaryDirectory();

        var result = await StackAsync("policy", "check", "--policies", empty.Path, "infra/policies");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("stack: no policies", result.StandardError, StringComparison.Ordinal);
        AssertNoStackTrace(result);
    }

    [Fact]
    public async Task APolicyThatDoesNotCompileIsOneLineOnStandardErrorWithExitCodeTwo()
    {
        using var copy = TemporaryDirectory.CopyOf(Path.Combine(Repository.Root, "infra", "policies"));
        var file = Path.Combine(copy.Path, "egress-everywhere.yaml");
        File.WriteAllText(file, File.ReadAllText(file).Replace("\"size(variables.openRules) == 0\"", "\"size(variables.openRules) = 0\"", StringComparison.Ordinal));

        var result = await StackAsync("policy", "check", "--policies", copy.Path, "infra/policies");

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("stack: stack-egress-everywhere: CEL does not compile", line, StringComparison.Ordinal);
        Assert.Contains("size(variables.openRules) = 0", line, StringComparison.Ordinal);
        AssertNoStackTrace(result);
    }

    [Fact]
    public async Task TheRepositorysPoliciesAreFoundFromASubfolder()
    {
        var result = await CommandLine.RunAsync(Path.Combine(Repository.Root, "tests"), new Dictionary<string, string>(), Timeout,
            "dotnet", Repository.Cli, "policy", "check", Path.Combine(Repository.Fixtures, "Passing"));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("26 objects checked, no violations", result.StandardOutput.Trim());
    }

    private static Task<CommandLine.Result> StackAsync(params string[] args) =>
        CommandLine.RunAsync(Repository.Root, new Dictionary<string, string>(), Timeout, "dotnet", [Repository.Cli, .. args]);

    private static void AssertNoStackTrace(CommandLine.Result result) =>
        Assert.DoesNotContain("   at ", result.AllOutput, StringComparison.Ordinal);
}
