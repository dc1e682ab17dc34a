using System.Text.Json;
using Microsoft.Extensions.Configuration.UserSecrets;
using Stack.GitOps;

namespace Stack.AppHost.Tests;

/// <summary>The committed infra/deploy is what `aspire publish` renders today, and no secret value is in git.</summary>
[Collection(AppHostCollection.Name)]
public sealed class GitOpsDriftTests
{
    private static readonly Dictionary<string, string> SentinelSecrets = new()
    {
        ["Parameters__leaderboard-server-key"] = "sentinel-server-key-5d1e0f7a",
        ["Parameters__leaderboard-admin-key"] = "sentinel-admin-key-9b24c6e3",
        ["Parameters__cache-password"] = "sentinel-cache-password-41aa",
        ["Parameters__postgres-password"] = "sentinel-postgres-password-77fe",
    };

    [Fact]
    public async Task CommittedDeployTreeMatchesAFreshPublishThatHoldsNoSecretValue()
    {
        var committed = Path.Combine(Repository.Root, "infra", "deploy");
        Assert.True(Directory.Exists(committed), "infra/deploy is missing: run `dotnet aspire publish` and commit it.");

        // Publish over a copy of the committed tree, as a developer would in place: promoted image
        // tags are the committed ones, so only a change of the graph can show up as drift.
        using var scratch = new TemporaryDirectory();
        var rendered = Path.Combine(scratch.Path, "deploy");
        TemporaryDirectory.CopyTree(committed, rendered);

        var result = await CommandLine.RunAsync(
            Repository.Root,
            SentinelSecrets,
            TimeSpan.FromMinutes(3),
            "dotnet", "aspire", "publish", "--output-path", rendered, "--non-interactive", "--no-build");
        Assert.True(result.ExitCode == 0, $"aspire publish failed:\n{result.AllOutput}");

        var difference = TreeDifference.Between(committed, rendered);
        Assert.True(difference.IsEmpty, $"infra/deploy is stale; run `dotnet aspire publish` and commit:\n{string.Join('\n', difference.Describe())}");

        foreach (var file in Directory.EnumerateFiles(rendered, "*", SearchOption.AllDirectories))
        {
            var text = await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken);
            Assert.DoesNotContain(SentinelSecrets.Values, text.Contains);
        }
    }

    [Fact]
    public async Task NoFileInGitHoldsASecretValueOfThisMachine()
    {
        // The AppHost keeps its generated secrets in user secrets; none of them may reach git.
        var secretsFile = PathHelper.GetSecretsPathFromSecretsId(AppHostUserSecretsId);
        var values = new List<string>();
        if (File.Exists(secretsFile))
        {
            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(secretsFile, TestContext.Current.CancellationToken));
            values.AddRange(json.RootElement.EnumerateObject()
                .Where(p => p.Name.StartsWith("Parameters:", StringComparison.Ordinal) && p.Value.ValueKind == JsonValueKind.String)
                .Select(p => p.Value.GetString()!)
                .Where(v => v.Length >= 12));
        }

        var tracked = await CommandLine.RunAsync(Repository.Root, new Dictionary<string, string>(), TimeSpan.FromSeconds(30), "git", "ls-files", "-z");
        Assert.Equal(0, tracked.ExitCode);
        var files = tracked.StandardOutput.Split('\0', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("infra/deploy/base/kustomization.yaml", files);

        Assert.True(values.Count > 0 || !File.Exists(secretsFile), "The AppHost's user secrets hold no parameter value to look for.");
        foreach (var file in files)
        {
            var path = Path.Combine(Repository.Root, file);
            if (!File.Exists(path))
            {
                continue;
            }

            var text = await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken);
            var leaked = values.FirstOrDefault(text.Contains);
            Assert.True(leaked is null, $"{file} holds a secret value.");
        }
    }

    // AppHost.csproj's UserSecretsId: where `persist: true` parameters keep their generated values.
    private const string AppHostUserSecretsId = "stack-apphost-6f1c0b7e-4d7a-4b8e-9a51-5f0d2c3e8a10";
}
