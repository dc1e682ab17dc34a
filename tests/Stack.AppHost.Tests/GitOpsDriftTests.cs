using System.Text;

namespace Stack.AppHost.Tests;

/// <summary>The committed infra/deploy is what `aspire publish` renders today, and no secret value given to the AppHost reaches a rendered file or git.</summary>
[Collection(AppHostCollection.Name)]
public sealed class GitOpsDriftTests
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(3);

    // Values this test gives the AppHost's secret parameters, the way CI or a developer does; new
    // each run, so no file can hold them unless this run put them there.
    private static readonly Dictionary<string, string> SentinelSecrets = new[] { "leaderboard-server-key", "leaderboard-admin-key", "cache-password", "postgres-password" }
        .ToDictionary(parameter => $"Parameters__{parameter}", parameter => $"sentinel{parameter.Replace("-", "", StringComparison.Ordinal)}{Guid.NewGuid():N}");

    // Given the same way, a value publish must write (the image registry, within the allowed ones):
    // proof that the values reached the AppHost, so the absence of the secret ones means something.
    private static readonly string SentinelRegistry = $"ghcr.io/stack-games/sentinel-{Guid.NewGuid():N}";

    [Fact]
    public async Task CommittedDeployTreeMatchesAFreshPublish()
    {
        var committed = Path.Combine(Repository.Root, "infra", "deploy");
        Assert.True(Directory.Exists(committed), "infra/deploy is missing: run `dotnet aspire publish` and commit it.");

        // Publish over a copy of the committed tree, as a developer would in place: promoted image
        // tags are the committed ones, so only a change of the graph can show up as drift.
        using var scratch = new TemporaryDirectory();
        var rendered = Path.Combine(scratch.Path, "deploy");
        TemporaryDirectory.CopyTree(committed, rendered);
        await PublishAsync(SentinelSecrets, "publish", rendered);

        var differences = DifferingFiles(committed, rendered);
        Assert.True(differences.Count == 0, $"infra/deploy is stale; run `dotnet aspire publish` and commit:\n{string.Join('\n', differences)}");
    }

    [Fact]
    public async Task NoSecretValueGivenToTheAppHostReachesARenderedFileOrAFileOfTheCheckout()
    {
        using var scratch = new TemporaryDirectory();
        var environment = new Dictionary<string, string>(SentinelSecrets) { ["Parameters__image-registry"] = SentinelRegistry };
        await PublishAsync(environment, "publish", Path.Combine(scratch.Path, "deploy"));
        await PublishAsync(environment, "do publish-manifest", Path.Combine(scratch.Path, "manifest"));

        var rendered = Directory.EnumerateFiles(scratch.Path, "*", SearchOption.AllDirectories).ToList();
        Assert.Contains(Path.Combine(scratch.Path, "manifest", "aspire-manifest.json"), rendered);
        Assert.Contains(rendered, file => File.ReadAllText(file).Contains(SentinelRegistry, StringComparison.Ordinal));

        // Every file git holds or would take (a commit after this run), and every rendered file.
        var listed = await CommandLine.RunAsync(Repository.Root, new Dictionary<string, string>(), TimeSpan.FromSeconds(30), "git", "ls-files", "-z", "--cached", "--others", "--exclude-standard");
        Assert.True(listed.ExitCode == 0, listed.AllOutput);
        var checkout = listed.StandardOutput.Split('\0', StringSplitOptions.RemoveEmptyEntries).Select(file => Path.Combine(Repository.Root, file)).Where(File.Exists).ToList();
        Assert.Contains(Path.Combine(Repository.Root, "infra", "deploy", "base", "kustomization.yaml"), checkout);

        // A secret may hide in base64 too (a Secret's data).
        var forms = SentinelSecrets.Values.SelectMany(value => new[] { value, Convert.ToBase64String(Encoding.UTF8.GetBytes(value)) }).ToList();
        foreach (var file in rendered.Concat(checkout))
        {
            var text = await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken);
            var leaked = forms.FirstOrDefault(form => text.Contains(form, StringComparison.Ordinal));
            Assert.True(leaked is null, $"{file} holds the secret value '{leaked}'.");
        }
    }

    /// <summary>Runs `dotnet aspire publish` or `dotnet aspire do publish-manifest` into <paramref name="output"/>, with <paramref name="environment"/>.</summary>
    private static async Task PublishAsync(IReadOnlyDictionary<string, string> environment, string command, string output)
    {
        // Aspire keeps the parameter values of every publish in ~/.aspire/deployments and prefers them
        // to the environment next time: --clear-cache (Pipeline:ClearCache) neither reads nor writes
        // them, so this run uses exactly the values given here and leaves none behind.
        var withoutState = new Dictionary<string, string>(environment) { ["Pipeline__ClearCache"] = "true" };
        string[] args = ["aspire", .. command.Split(' '), "--output-path", output, "--non-interactive", "--no-build"];
        var result = await CommandLine.RunAsync(Repository.Root, withoutState, PublishTimeout, "dotnet", args);
        Assert.True(result.ExitCode == 0, $"aspire {command} failed:\n{result.AllOutput}");
    }

    /// <summary>Each file that is only in one tree or whose bytes differ, named by its path in the tree.</summary>
    private static List<string> DifferingFiles(string committed, string rendered)
    {
        static Dictionary<string, string> Files(string root) => Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .ToDictionary(file => Path.GetRelativePath(root, file).Replace(Path.DirectorySeparatorChar, '/'), StringComparer.Ordinal);

        var before = Files(committed);
        var after = Files(rendered);
        return [.. before.Keys.Union(after.Keys).Order(StringComparer.Ordinal).Select(file =>
                !after.ContainsKey(file) ? $"only committed: {file}"
                : !before.ContainsKey(file) ? $"only rendered:  {file}"
                : File.ReadAllBytes(before[file]).AsSpan().SequenceEqual(File.ReadAllBytes(after[file])) ? null
                : $"differs:        {file}")
            .OfType<string>()];
    }
}
