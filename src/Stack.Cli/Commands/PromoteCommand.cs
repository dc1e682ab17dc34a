using System.CommandLine;
using Stack.Hosting;
using Stack.Hosting.GitOps;

namespace Stack.Cli.Commands;

/// <summary>
/// <c>stack promote &lt;env&gt; &lt;image&gt; &lt;tag&gt;</c>: pins an image of one environment to a tag by
/// changing one line of <c>infra/deploy/overlays/&lt;env&gt;/images/kustomization.yaml</c>, the
/// file promotion owns. Commit it and Argo CD rolls the environment forward.
/// </summary>
internal static class PromoteCommand
{
    private const string DefaultDeploy = "infra/deploy";

    public static Command Create()
    {
        var environment = new Argument<string>("environment") { Description = "The environment (an overlay of infra/deploy), e.g. dev, staging or prod." };
        var image = new Argument<string>("image") { Description = "The image: its full name, or its last segment such as leaderboard-api." };
        var tag = new Argument<string>("tag") { Description = "The tag to run, e.g. a version or a commit; never latest." };
        var deploy = new Option<string?>("--deploy") { Description = $"The GitOps tree (default: {DefaultDeploy} of the repository)." };

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
        deploy ??= RepositoryRoot.Find(Environment.CurrentDirectory) is { } root ? Path.Combine(root, DefaultDeploy) : null;
        if (deploy is null || !Directory.Exists(Path.Combine(deploy, "overlays")))
        {
            return Fail($"no GitOps tree at {deploy ?? DefaultDeploy}: run `dotnet aspire publish` first, or pass --deploy <dir>");
        }

        var file = Path.Combine(deploy, "overlays", environment, ImagesComponent.FileName.Replace('/', Path.DirectorySeparatorChar));
        if (!File.Exists(file))
        {
            var known = Directory.GetDirectories(Path.Combine(deploy, "overlays")).Select(Path.GetFileName).Order(StringComparer.Ordinal);
            return Fail($"no environment '{environment}' in {deploy}; it has: {string.Join(", ", known)}");
        }

        var content = File.ReadAllText(file);
        string promoted;
        try
        {
            promoted = ImagesComponent.Promote(content, image, tag);
        }
        catch (ArgumentException exception)
        {
            return Fail(exception.Message);
        }

        var name = ImagesComponent.Resolve(content, image);
        var previous = ImagesComponent.Read(content)[name];
        if (promoted == content)
        {
            Console.WriteLine($"{environment}: {name} is already at {tag}");
            return ExitCodes.Clean;
        }

        File.WriteAllText(file, promoted);
        Console.WriteLine($"{environment}: {name} {previous} -> {tag} ({Path.GetRelativePath(Environment.CurrentDirectory, file)})");
        return ExitCodes.Clean;
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"stack: {message}");
        return ExitCodes.UnusableInput;
    }
}
