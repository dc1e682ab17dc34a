using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Stack.Hosting.Tests.Toolchain;

/// <summary>
/// The GitHub workflows are valid for GitHub (its own workflow parser and schema, run offline by
/// tests/workflow-schema), pin every action by commit, and give each job only the permissions it names.
/// </summary>
public sealed partial class GitHubWorkflowTests
{
    private static readonly string Workflows = Path.Combine(RepositoryCheckout.Root, ".github", "workflows");

    private static readonly string Validator = Path.Combine(RepositoryCheckout.Root, "tests", "workflow-schema", "validate.mjs");

    public static TheoryData<string> WorkflowFiles => new(Directory.GetFiles(Workflows, "*.yml").Select(Path.GetFileName).Order(StringComparer.Ordinal)!);

    [Fact]
    public async Task EveryWorkflowIsValidForGitHub()
    {
        var files = Directory.GetFiles(Workflows, "*.yml");
        Assert.NotEmpty(files);

        var result = await ValidateAsync(files);

        Assert.True(result.ExitCode == 0, $"GitHub's workflow parser rejects:\n{result.AllOutput}");
    }

    [Theory]
    [InlineData("    runs-on: ubuntu-24.04\n", "    runs_on: ubuntu-24.04\n", "Unexpected value 'runs_on'")]
    [InlineData("    needs: image\n", "    needs: imgae\n", "imgae")]
    [InlineData("  pull_request:\n", "  pull_requets:\n", "pull_requets")]
    public async Task ABrokenWorkflowIsRejectedWithWhatIsWrong(string valid, string broken, string named)
    {
        using var copy = new TemporaryDirectory();
        var file = Path.Combine(copy.Path, "gate.yml");
        var workflow = await File.ReadAllTextAsync(Path.Combine(Workflows, "gate.yml"), TestContext.Current.CancellationToken);
        Assert.Contains(valid, workflow);
        await File.WriteAllTextAsync(file, ReplaceFirst(workflow, valid, broken), TestContext.Current.CancellationToken);

        var result = await ValidateAsync([file]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(named, result.StandardOutput);
    }

    [Theory]
    [MemberData(nameof(WorkflowFiles))]
    public void EveryActionIsPinnedByCommit(string file)
    {
        var uses = UsesLine().Matches(File.ReadAllText(Path.Combine(Workflows, file))).Select(m => m.Groups["action"].Value).ToList();

        Assert.NotEmpty(uses);
        Assert.All(uses, action => Assert.Matches(PinnedAction(), action));
    }

    [Theory]
    [MemberData(nameof(WorkflowFiles))]
    public void TheWorkflowGrantsNothingAndEachJobNamesItsPermissions(string file)
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(Workflows, file)))
        {
            yaml.Load(reader);
        }

        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        Assert.Empty(Assert.IsType<YamlMappingNode>(root.Children[new YamlScalarNode("permissions")]).Children);
        foreach (var (name, job) in ((YamlMappingNode)root.Children[new YamlScalarNode("jobs")]).Children)
        {
            var permissions = Assert.IsType<YamlMappingNode>(((YamlMappingNode)job).Children[new YamlScalarNode("permissions")]);
            Assert.True(permissions.Children.Count > 0, $"job {name} names no permission");
            Assert.DoesNotContain(permissions.Children, p => ((YamlScalarNode)p.Value).Value == "write-all");
        }
    }

    private static Task<CommandLine.Result> ValidateAsync(IEnumerable<string> files) =>
        CommandLine.RunAsync(RepositoryCheckout.Root, new Dictionary<string, string>(), TimeSpan.FromMinutes(1), "node", [Validator, .. files]);

    private static string ReplaceFirst(string text, string old, string replacement)
    {
        var at = text.IndexOf(old, StringComparison.Ordinal);
        return string.Concat(text.AsSpan(0, at), replacement, text.AsSpan(at + old.Length));
    }

    [GeneratedRegex(@"^\s*(-\s+)?uses:\s*(?<action>\S+)", RegexOptions.Multiline)]
    private static partial Regex UsesLine();

    // owner/name[/path]@<40 hex> (a local ./action needs no pin).
    [GeneratedRegex(@"^([\w.-]+/[\w./-]+@[0-9a-f]{40}|\./.+)$")]
    private static partial Regex PinnedAction();
}
