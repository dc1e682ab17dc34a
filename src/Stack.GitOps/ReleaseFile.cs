using System.Text.RegularExpressions;

namespace Stack.GitOps;

/// <summary>
/// The git revision Argo CD deploys to one environment (<see cref="DeployTree.ReleaseFile"/>).
/// Promotion owns it: <c>stack promote &lt;env&gt; --revision &lt;sha&gt;</c> changes one line. Publish
/// creates it only for an environment that tracks the branch, and never changes it. An environment
/// without one is not deployed: nothing reaches it before its first promotion.
/// </summary>
public static partial class ReleaseFile
{
    private const string Header = """
        # The git revision Argo CD deploys to this environment. Promotion owns this file:
        # `stack promote <env> --revision <commit>` changes one line. `aspire publish` creates it only
        # for an environment that tracks the branch, and never changes it.
        """;

    /// <summary>A release file deploying <paramref name="revision"/> (a branch for a tracking environment, else a commit).</summary>
    public static string Create(string revision)
    {
        ArgumentException.ThrowIfNullOrEmpty(revision);
        return $"{Header}\nrevision: \"{revision}\"\n";
    }

    /// <summary>The revision <paramref name="content"/> deploys, or <see langword="null"/> when it names none.</summary>
    public static string? Read(string content) =>
        content.Split('\n').Select(line => RevisionLine().Match(line)).FirstOrDefault(m => m.Success)?.Groups["revision"].Value;

    /// <summary><paramref name="content"/> (or a new file when <see langword="null"/>) deploying commit <paramref name="commit"/>, changing one line.</summary>
    /// <exception cref="ArgumentException">The revision is not a full commit id.</exception>
    public static string Promote(string? content, string commit)
    {
        if (!CommitId().IsMatch(commit))
        {
            throw new ArgumentException($"'{commit}' is not a full commit id: give the 40 hex digits of the commit to deploy, e.g. --revision $(git rev-parse HEAD).");
        }

        if (content is null)
        {
            return Create(commit);
        }

        var lines = content.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (RevisionLine().Match(lines[i]) is { Success: true } match)
            {
                var old = match.Groups["revision"];
                lines[i] = lines[i][..old.Index] + commit + lines[i][(old.Index + old.Length)..];
                return string.Join('\n', lines);
            }
        }

        throw new ArgumentException("The release file has no revision line to change.");
    }

    [GeneratedRegex(@"^revision:\s*""?(?<revision>[^""\s#]+)""?\s*$")]
    private static partial Regex RevisionLine();

    [GeneratedRegex("^[0-9a-f]{40}$")]
    private static partial Regex CommitId();
}
