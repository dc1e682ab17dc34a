using System.CommandLine;
using Stack.GitOps;

namespace Stack.Cli.Commands;

/// <summary>
/// <c>stack promote &lt;env&gt; &lt;image&gt; &lt;tag&gt;</c> pins an image of one environment to a tag;
/// <c>stack promote &lt;env&gt; --revision &lt;commit&gt;</c> makes the environment run that git commit.
/// Each changes one line of a file promotion owns (see <see cref="Promotion"/>); commit it and
/// Argo CD rolls the environment forward.
/// </summary>
internal static class PromoteCommand
{
    public static Command Create()
    {
        var environment = new Argument<string>("environment") { Description = $"The environment (an overlay of {DeployTree.DefaultRepositoryPath}), e.g. dev, staging or prod." };
        var image = new Argument<string?>("image") { Description = "The image: its full name, or its last segment such as leaderboard-api.", Arity = ArgumentArity.ZeroOrOne };
        var tag = new Argument<string?>("tag") { Description = "The tag to run, e.g. a version or a commit; never latest.", Arity = ArgumentArity.ZeroOrOne };
        var revision = new Option<string?>("--revision") { Description = "The git commit (40 hex digits) the environment runs from now on, e.g. $(git rev-parse HEAD)." };
        var deploy = new Option<string?>("--deploy") { Description = $"The GitOps tree (default: {DeployTree.DefaultRepositoryPath} of the repository)." };

        var command = new Command("promote", "Pin an image of an environment to a tag, or the environment to a git commit (a one-line change to commit).")
        {
            environment,
            image,
            tag,
            revision,
            deploy,
        };
        command.SetAction(parseResult => Run(
            parseResult.GetValue(environment)!,
            parseResult.GetValue(image),
            parseResult.GetValue(tag),
            parseResult.GetValue(revision),
            parseResult.GetValue(deploy)));
        return command;
    }

    private static int Run(string environment, string? image, string? tag, string? revision, string? deploy)
    {
        if ((image is null) != (tag is null) || (image is null && revision is null))
        {
            return Fail("give an image and its tag (stack promote <env> <image> <tag>), a revision (stack promote <env> --revision <commit>), or both");
        }

        deploy ??= RepositoryRoot.Find(Environment.CurrentDirectory) is { } root ? Path.Combine(root, DeployTree.DefaultRepositoryPath) : null;
        var tree = deploy is null ? null : new DeployTree(deploy);
        if (tree is not { Exists: true })
        {
            return Fail($"no GitOps tree at {deploy ?? DeployTree.DefaultRepositoryPath}: run `dotnet aspire publish` first, or pass --deploy <dir>");
        }

        var results = new List<Promotion.Result>();
        try
        {
            // Both are checked before either is written, so a bad revision leaves the tag alone too.
            if (revision is not null)
            {
                ReleaseFile.Promote(null, revision);
            }

            if (image is not null)
            {
                results.Add(Promotion.PromoteImage(tree, environment, image, tag!));
            }

            if (revision is not null)
            {
                results.Add(Promotion.PromoteRevision(tree, environment, revision));
            }
        }
        catch (ArgumentException exception)
        {
            return Fail(exception.Message);
        }

        foreach (var result in results)
        {
            Console.WriteLine(result.Changed
                ? $"{environment}: {result.Subject} {(result.Previous.Length == 0 ? "(none)" : result.Previous)} -> {result.Current} ({Path.GetRelativePath(Environment.CurrentDirectory, result.File)})"
                : $"{environment}: {result.Subject} is already at {result.Current}");
        }

        return ExitCodes.Clean;
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"stack: {message}");
        return ExitCodes.UnusableInput;
    }
}
