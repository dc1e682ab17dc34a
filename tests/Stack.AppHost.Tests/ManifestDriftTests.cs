using System.Text;
using System.Text.Json;

namespace Stack.AppHost.Tests;

/// <summary>The committed aspire-manifest.json is what the AppHost renders today.</summary>
[Collection(AppHostCollection.Name)]
public sealed class ManifestDriftTests
{
    private const string ManifestFileName = "aspire-manifest.json";

    // Properties of the manifest format that hold a file path relative to the manifest itself.
    private static readonly HashSet<string> PathProperties = ["path", "context", "dockerfile", "workingDirectory", "source"];

    [Fact]
    public async Task CommittedManifestMatchesAFreshPublish()
    {
        var manifestPath = Path.Combine(Repository.Root, ManifestFileName);
        Assert.True(File.Exists(manifestPath), $"{ManifestFileName} is missing at the repository root.");
        var committed = await File.ReadAllTextAsync(manifestPath, TestContext.Current.CancellationToken);

        // Rendered into a folder of its own: the committed file is what is judged, never overwritten.
        using var output = new TemporaryDirectory();
        var result = await CommandLine.RunAsync(
            Repository.Root,
            new Dictionary<string, string>(),
            TimeSpan.FromMinutes(3),
            "dotnet", "aspire", "do", "publish-manifest", "--output-path", output.Path, "--non-interactive", "--no-build");
        Assert.True(result.ExitCode == 0, $"publish-manifest failed:\n{result.AllOutput}");
        var fresh = await File.ReadAllBytesAsync(Path.Combine(output.Path, ManifestFileName), TestContext.Current.CancellationToken);

        // The manifest names files relative to the folder it is written to; rendered elsewhere, those
        // paths are rebased onto the repository root, where the committed manifest lives. Nothing else changes.
        var expected = RebasePaths(fresh, output.Path, Repository.Root);
        Assert.True(
            committed == expected,
            $"{ManifestFileName} is stale; refresh it with `dotnet aspire do publish-manifest --output-path .` and commit it. First difference: {FirstDifference(committed, expected)}");
    }

    /// <summary>The manifest's text with every relative path property rebased from <paramref name="renderedIn"/> to <paramref name="root"/>.</summary>
    private static string RebasePaths(byte[] manifest, string renderedIn, string root)
    {
        var text = new StringBuilder();
        var copied = 0;
        string? property = null;
        var reader = new Utf8JsonReader(manifest);
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName)
            {
                property = reader.GetString();
                continue;
            }

            if (reader.TokenType == JsonTokenType.String && property is not null && PathProperties.Contains(property)
                && reader.GetString() is { } value && IsRelativePath(value))
            {
                var rebased = Path.GetRelativePath(root, Path.GetFullPath(Path.Combine(renderedIn, value))).Replace(Path.DirectorySeparatorChar, '/');
                var start = (int)reader.TokenStartIndex;
                text.Append(Encoding.UTF8.GetString(manifest, copied, start - copied)).Append(JsonSerializer.Serialize(rebased));
                copied = start + reader.ValueSpan.Length + 2;
            }

            property = null;
        }

        return text.Append(Encoding.UTF8.GetString(manifest, copied, manifest.Length - copied)).ToString();
    }

    private static bool IsRelativePath(string value) =>
        value.Length > 0 && !Path.IsPathRooted(value) && !value.Contains('{', StringComparison.Ordinal) && !value.Contains("://", StringComparison.Ordinal);

    private static string FirstDifference(string committed, string fresh)
    {
        var committedLines = committed.Split('\n');
        var freshLines = fresh.Split('\n');
        for (var i = 0; i < Math.Max(committedLines.Length, freshLines.Length); i++)
        {
            var left = i < committedLines.Length ? committedLines[i] : "(end of file)";
            var right = i < freshLines.Length ? freshLines[i] : "(end of file)";
            if (left != right)
            {
                return $"line {i + 1}: committed `{left.Trim()}`, fresh `{right.Trim()}`";
            }
        }

        return "none";
    }
}
