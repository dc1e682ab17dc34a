using System.CommandLine;
using Stack.GitOps;

namespace Stack.Cli.Commands;

/// <summary>
/// <c>stack promote &lt;env&gt; &lt;image&gt; &lt;tag&gt;</c>: pins an image of one environment to a tag by
/// changing one line of that environment's images component, the file promotion owns (see
/// <see cref="ImagePromotion"/>). Commit it and Argo CD rolls the environment forward.
/// </summary>
internal static class PromoteCommand
{
    public static Command Create()
    {
        var environment = new Argument<string>("environment") { Description = $"The environment (an overlay of {DeployTree.DefaultRepositoryPath}), e.g. dev, staging or prod." };
        var image = new Argument<string>("image") { Description = "The image: its full name, or its last segment such as leaderboard-api." };
        var tag = new Argument<string>("tag") { Description = "The tag to run, e.g. a version or a commit; never latest." };
        var deploy = new Option<string?>("--deploy") { Description = $"The GitOps tree (default: {DeployTree.DefaultRepositoryPath} of the repository)." };

        var command = new Command("promote", "Pin an image of an environment to a tag (a one-line change to commit).")
        {
            environment,
            image,
            tag,
            deploy,
        };
        command.SetAction(parseResult => Run(parseResult.GetValue(environment)!, parseResult.GetValue(image)!, parseResult.GetValue(tag)!, parseResult.GetValue(deploy)));
        return command;
    }

    private static int Run(string environment, string image, string tag, string? deploy)
    {
        deploy ??= RepositoryRoot.Find(Environment.CurrentDirectory) is { } root ? Path.Combine(root, DeployTree.DefaultRepositoryPath) : null;
        var tree = deploy is null ? null : new DeployTree(deploy);
        if (tree is not { Exists: true })
        {
            return Fail($"no GitOps tree at {deploy ?? DeployTree.DefaultRepositoryPath}: run `dotnet aspire publish` first, or pass --deploy <dir>");
        }

        ImagePromotion.Result result;
        try
        {
            result = ImagePromotion.Promote(tree, environment, image, tag);
        }
        catch (ArgumentException exception)
        {
            return Fail(exception.Message);
        }

        Console.WriteLine(result.Changed
            ? $"{environment}: {result.Image} {result.PreviousTag} -> {tag} ({Path.GetRelativePath(Environment.CurrentDirectory, result.File)})"
            : $"{environment}: {result.Image} is already at {tag}");
        return ExitCodes.Clean;
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"stack: {message}");
        return ExitCodes.UnusableInput;
    }
}
