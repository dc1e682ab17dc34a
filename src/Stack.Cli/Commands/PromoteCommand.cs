using System.CommandLine;
using Stack.Cli.Images;
using Stack.GitOps;

namespace Stack.Cli.Commands;

/// <summary>
/// <c>stack promote &lt;env&gt; &lt;image&gt; &lt;tag&gt; --key cosign.pub</c> verifies the image's signature in
/// the registry and pins the environment to that tag and the digest it verified (without
/// <c>--key</c>, to the tag alone, which the policies refuse in staging and prod);
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
        var key = new Option<string?>("--key") { Description = "The public key (cosign.pub, or env://VARIABLE) the image must be signed with: its signature is verified in the registry and the verified digest is written with the tag." };
        var registry = new Option<string?>("--registry") { Description = "Where to read the image and its signature (host[:port]/path, e.g. localhost:5000/stack-games); default: the registry of the name the environment lists." };

        var command = new Command("promote", "Pin an image of an environment to a tag, or the environment to a git commit (a one-line change to commit).")
        {
            environment,
            image,
            tag,
            revision,
            deploy,
            key,
            registry,
        };
        command.SetAction((parseResult, cancellationToken) => RunAsync(
            parseResult.GetValue(environment)!,
            parseResult.GetValue(image),
            parseResult.GetValue(tag),
            parseResult.GetValue(revision),
            parseResult.GetValue(deploy),
            parseResult.GetValue(key),
            parseResult.GetValue(registry),
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string environment, string? image, string? tag, string? revision, string? deploy, string? key, string? registry, CancellationToken cancellationToken)
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

        if ((key is not null || registry is not null) && image is null)
        {
            return Fail("--key and --registry verify an image: give the image and its tag too (stack promote <env> <image> <tag> --key cosign.pub)");
        }

        var results = new List<Promotion.Result>();
        try
        {
            // Verified before anything is written: an unsigned image, another key or an unreachable registry changes no file.
            string? digest = null;
            if (key is not null && image is not null)
            {
                var verified = await VerifyAsync(tree, environment, image, tag!, key, registry, cancellationToken);
                if (verified.Code != ExitCodes.Clean)
                {
                    return verified.Code;
                }

                digest = verified.Digest;
            }

            // Both are checked before either is written, so a bad revision leaves the tag alone too.
            if (revision is not null)
            {
                ReleaseFile.Promote(null, revision);
            }

            if (image is not null)
            {
                results.Add(Promotion.PromoteImage(tree, environment, image, tag!, digest));
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

    /// <summary>The digest of <paramref name="image"/>:<paramref name="tag"/> once its signature by <paramref name="key"/> is verified.</summary>
    private static async Task<(int Code, string? Digest)> VerifyAsync(DeployTree tree, string environment, string image, string tag, string key, string? registry, CancellationToken cancellationToken)
    {
        string? digest = null;
        var code = await ImageCommand.Run(async token =>
        {
            string name;
            try
            {
                name = ImagesComponent.Resolve(Promotion.ReadImages(tree, environment), image);
            }
            catch (ArgumentException exception)
            {
                throw new ImageException(exception.Message);
            }

            var location = registry is null ? name : $"{registry.TrimEnd('/')}/{name[(name.LastIndexOf('/') + 1)..]}";
            var reference = ImageReference.Parse($"{location}:{tag}");
            using var publicKey = SigningKeys.LoadPublic(key);
            using var client = new RegistryClient(reference.Registry);
            digest = await CosignSignatures.VerifyAsync(client, reference, publicKey, token);
            Console.WriteLine($"verified {reference.Name}:{tag}@{digest} (key {SigningKeys.Fingerprint(publicKey)})");
        }, cancellationToken);
        return (code, digest);
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"stack: {message}");
        return ExitCodes.UnusableInput;
    }
}
