using System.CommandLine;
using System.Globalization;
using Stack.Cli.Images;

namespace Stack.Cli.Commands;

/// <summary>
/// <c>stack image ...</c>: what the CI gate does to an image after the SDK pushed it (normalize,
/// attach its SBOM, sign) and what promotion and people check (verify), plus a key pair for local use.
/// Every failure is one sentence on standard error: exit 1 when the image is refused (unsigned,
/// tampered, another key), 2 when it could not be judged (no key, registry down).
/// </summary>
internal static class ImageCommand
{
    public static Command Create() => new("image", "Container images: make reproducible, attach an SBOM, sign and verify (cosign's signature format).")
    {
        Projects(),
        Keygen(),
        Normalize(),
        AttachSbom(),
        Sign(),
        Verify(),
    };

    private static Argument<string> ImageArgument() => new("image") { Description = "The image, host[:port]/repository:tag or ...@sha256:<digest>." };

    private static Option<string> KeyOption(string description) => new("--key") { Description = description, Required = true };

    private static Command Projects()
    {
        var manifest = new Option<string>("--manifest") { Description = "The Aspire manifest (aspire do publish-manifest).", DefaultValueFactory = _ => "aspire-manifest.json" };
        var command = new Command("projects", "List the project resources the graph publishes, one per line: <resource name> <project file>; each becomes an image.") { manifest };
        command.SetAction((parseResult, cancellationToken) => Run(async token =>
        {
            var path = parseResult.GetValue(manifest)!;
            if (!File.Exists(path))
            {
                throw new ImageException($"no Aspire manifest at {path}: run `dotnet aspire do publish-manifest --output-path .`");
            }

            foreach (var (name, project) in PublishedProjects.Read(await File.ReadAllTextAsync(path, token)))
            {
                Console.WriteLine($"{name} {project}");
            }
        }, cancellationToken));
        return command;
    }

    private static Command Keygen()
    {
        var output = new Option<string>("--output") { Description = "The folder for cosign.key (private, mode 600) and cosign.pub.", DefaultValueFactory = _ => "." };
        var command = new Command("keygen", "Make an ECDSA P-256 key pair for local signing: cosign.key (PKCS#8 PEM) and cosign.pub. Never commit the private key.") { output };
        command.SetAction((parseResult, cancellationToken) => Run(_ =>
        {
            var folder = parseResult.GetValue(output)!;
            var privatePath = Path.Combine(folder, "cosign.key");
            if (File.Exists(privatePath))
            {
                throw new ImageException($"{privatePath} exists already; move it away to make a new pair");
            }

            Directory.CreateDirectory(folder);
            var (privateKey, publicKey) = SigningKeys.Generate();
            File.WriteAllText(privatePath, "");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(privatePath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            File.WriteAllText(privatePath, privateKey);
            File.WriteAllText(Path.Combine(folder, "cosign.pub"), publicKey);
            Console.WriteLine($"wrote {privatePath} (private: keep it secret) and {Path.Combine(folder, "cosign.pub")}");
            return Task.CompletedTask;
        }, cancellationToken));
        return command;
    }

    private static Command Normalize()
    {
        var image = ImageArgument();
        var epoch = new Option<long?>("--source-date-epoch") { Description = "The commit time in seconds since 1970 (default: $SOURCE_DATE_EPOCH)." };
        var command = new Command("normalize", "Rewrite the build-clock times the SDK stamps (config created, history, app layer files) to the commit time and push the image again; prints its digest.") { image, epoch };
        command.SetAction((parseResult, cancellationToken) => Run(async cancellationToken =>
        {
            var seconds = CommitTime(parseResult.GetValue(epoch))
                ?? throw new ImageException("no commit time: pass --source-date-epoch or set SOURCE_DATE_EPOCH (git log -1 --format=%ct)");
            var reference = ImageReference.Parse(parseResult.GetValue(image)!);
            using var registry = new RegistryClient(reference.Registry);
            Console.WriteLine(await ImageNormalizer.NormalizeAsync(registry, reference, DateTimeOffset.FromUnixTimeSeconds(seconds), cancellationToken));
        }, cancellationToken));
        return command;
    }

    private static Command AttachSbom()
    {
        var image = ImageArgument();
        var sbom = new Argument<string>("sbom") { Description = "The CycloneDX JSON document (dotnet CycloneDX)." };
        var epoch = new Option<long?>("--source-date-epoch") { Description = "The commit time, for the artifact's created annotation (default: $SOURCE_DATE_EPOCH)." };
        var command = new Command("attach-sbom", "Push a CycloneDX SBOM as an OCI artifact that refers to the image (subject), indexed for the referrers API.") { image, sbom, epoch };
        command.SetAction((parseResult, cancellationToken) => Run(async cancellationToken =>
        {
            var path = parseResult.GetValue(sbom)!;
            if (!File.Exists(path))
            {
                throw new ImageException($"no SBOM: the file {path} does not exist");
            }

            var created = CommitTime(parseResult.GetValue(epoch)) is { } seconds
                ? DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)
                : null;
            var reference = ImageReference.Parse(parseResult.GetValue(image)!);
            using var registry = new RegistryClient(reference.Registry);
            var (subject, attached) = await SbomAttachment.AttachAsync(registry, reference, await File.ReadAllBytesAsync(path, cancellationToken), created, cancellationToken);
            Console.WriteLine($"{reference.Name}@{attached} (SBOM of {subject})");
        }, cancellationToken));
        return command;
    }

    private static Command Sign()
    {
        var image = ImageArgument();
        var key = KeyOption("The private key: a PEM file, or env://VARIABLE holding the PEM (a CI secret).");
        var command = new Command("sign", "Sign the image's manifest digest in cosign's format and push the signature (tag sha256-<hex>.sig).") { image, key };
        command.SetAction((parseResult, cancellationToken) => Run(async cancellationToken =>
        {
            using var signingKey = SigningKeys.LoadPrivate(parseResult.GetValue(key)!);
            var reference = ImageReference.Parse(parseResult.GetValue(image)!);
            using var registry = new RegistryClient(reference.Registry);
            var digest = await CosignSignatures.SignAsync(registry, reference, signingKey, cancellationToken);
            Console.WriteLine($"signed {reference.Name}@{digest} with key {SigningKeys.Fingerprint(signingKey)}");
        }, cancellationToken));
        return command;
    }

    private static Command Verify()
    {
        var image = ImageArgument();
        var key = KeyOption("The public key: a PEM file (cosign.pub), or env://VARIABLE holding the PEM.");
        var command = new Command("verify", "Check the image carries a cosign signature by the key over its current manifest digest; prints the verified reference.") { image, key };
        command.SetAction((parseResult, cancellationToken) => Run(async cancellationToken =>
        {
            using var publicKey = SigningKeys.LoadPublic(parseResult.GetValue(key)!);
            var reference = ImageReference.Parse(parseResult.GetValue(image)!);
            using var registry = new RegistryClient(reference.Registry);
            var digest = await CosignSignatures.VerifyAsync(registry, reference, publicKey, cancellationToken);
            Console.WriteLine($"verified {reference.Name}{(reference.Tag is null ? "" : ":" + reference.Tag)}@{digest} (key {SigningKeys.Fingerprint(publicKey)})");
        }, cancellationToken));
        return command;
    }

    /// <summary>The commit time in seconds: the option's, else SOURCE_DATE_EPOCH's (reproducible-builds.org), else none.</summary>
    private static long? CommitTime(long? option) =>
        option ?? (long.TryParse(Environment.GetEnvironmentVariable("SOURCE_DATE_EPOCH"), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ? seconds : null);

    /// <summary>Runs an image action: an <see cref="ImageException"/> is one line and exit 1 (refused) or 2 (unusable input).</summary>
    internal static async Task<int> Run(Func<CancellationToken, Task> action, CancellationToken cancellationToken)
    {
        try
        {
            await action(cancellationToken);
            return ExitCodes.Clean;
        }
        catch (ImageException exception)
        {
            Console.Error.WriteLine($"stack: {exception.Message}");
            return exception.Rejected ? ExitCodes.Violations : ExitCodes.UnusableInput;
        }
    }
}
