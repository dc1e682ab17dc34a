using System.Text.Json;

namespace Stack.Hosting.Tests.Toolchain;

/// <summary>
/// What of flake.nix runs offline, with the real nix (Debian's nix-bin): it parses, its outputs that
/// need no input evaluate (nixpkgs cannot be fetched here, so building the shell or the image does
/// not run; README, "Nix"), and the NuGet lock it builds with is the one packages.lock.json locks.
/// </summary>
public sealed class NixFlakeTests
{
    private static readonly string Root = RepositoryCheckout.Root;

    private static readonly string ApiLock = Path.Combine(Root, "src", "Leaderboard.Api", "packages.lock.json");

    private static readonly string FlakeDeps = Path.Combine(Root, "nix", "leaderboard-api-deps.json");

    [Fact]
    public async Task TheFlakeParses()
    {
        var result = await NixAsync(Root, "nix-instantiate", "--parse", "flake.nix");
        Assert.True(result.ExitCode == 0, result.AllOutput);
    }

    [Fact]
    public async Task ABrokenFlakeDoesNotParse()
    {
        using var copy = new TemporaryDirectory();
        var flake = await File.ReadAllTextAsync(Path.Combine(Root, "flake.nix"), TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(copy.Path, "flake.nix"), flake.Replace("inputs.nixpkgs.url = ", "inputs.nixpkgs.url ", StringComparison.Ordinal), TestContext.Current.CancellationToken);

        var result = await NixAsync(copy.Path, "nix-instantiate", "--parse", "flake.nix");
        Assert.NotEqual(0, result.ExitCode);
    }

    [Fact]
    public async Task TheFlakePinsTheSdkOfGlobalJsonAndEvaluatesItsOwnOutputsOffline()
    {
        using var global = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Root, "global.json"), TestContext.Current.CancellationToken));

        Assert.Equal($"\"{global.RootElement.GetProperty("sdk").GetProperty("version").GetString()}\"", await EvaluateAsync("lib.sdkVersion"));
        Assert.Equal("[\"devShells\",\"lib\",\"packages\"]", await EvaluateAsync("builtins.attrNames outputs"));
        Assert.Equal("[\"aarch64-linux\",\"x86_64-linux\"]", await EvaluateAsync("lib.systems"));
    }

    [Fact]
    public async Task TheFlakeBuildsWithExactlyThePackagesThatPackagesLockJsonLocks()
    {
        // What the lock names, read here: every package of the leaderboard's closure, at its resolved version.
        using var lockFile = JsonDocument.Parse(await File.ReadAllTextAsync(ApiLock, TestContext.Current.CancellationToken));
        var locked = lockFile.RootElement.GetProperty("dependencies").EnumerateObject()
            .SelectMany(target => target.Value.EnumerateObject())
            .Where(package => package.Value.GetProperty("type").GetString() != "Project")
            .Select(package => $"{package.Name} {package.Value.GetProperty("resolved").GetString()}")
            .Distinct().Order(StringComparer.Ordinal).ToList();

        // What the flake evaluates: its nugetDeps.
        using var evaluated = JsonDocument.Parse(await EvaluateAsync("lib.nugetDeps"));
        var flake = evaluated.RootElement.EnumerateArray()
            .Select(package => $"{package.GetProperty("pname").GetString()} {package.GetProperty("version").GetString()}")
            .Order(StringComparer.Ordinal).ToList();

        Assert.True(locked.Count > 20);
        Assert.Equal(locked, flake);
        Assert.All(evaluated.RootElement.EnumerateArray(), package => Assert.Matches("^sha256-[A-Za-z0-9+/]{43}=$", package.GetProperty("hash").GetString()));
    }

    [Fact]
    public async Task RunningTheGeneratorAgainGivesTheCommittedFile()
    {
        using var work = new TemporaryDirectory();
        var regenerated = Path.Combine(work.Path, "deps.json");

        var result = await GeneratorAsync(ApiLock, regenerated);

        Assert.True(result.ExitCode == 0, result.AllOutput);
        var committed = await File.ReadAllBytesAsync(FlakeDeps, TestContext.Current.CancellationToken);
        var fresh = await File.ReadAllBytesAsync(regenerated, TestContext.Current.CancellationToken);
        Assert.True(
            committed.AsSpan().SequenceEqual(fresh),
            "nix/leaderboard-api-deps.json is stale: run python3 build/nix-nuget-deps.py src/Leaderboard.Api/packages.lock.json nix/leaderboard-api-deps.json and commit it.");
    }

    [Fact]
    public async Task APackageTheNuGetCacheLacksStopsTheGeneratorWithOneSentence()
    {
        using var work = new TemporaryDirectory();
        var lockFile = Path.Combine(work.Path, "packages.lock.json");
        await File.WriteAllTextAsync(lockFile, """
            {"version": 1, "dependencies": {"net10.0": {"Not.A.Package": {"type": "Direct", "resolved": "0.0.1", "contentHash": "AAAA"}}}}
            """, TestContext.Current.CancellationToken);

        var result = await GeneratorAsync(lockFile, Path.Combine(work.Path, "deps.json"));

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("nix-nuget-deps: Not.A.Package 0.0.1 is not in the NuGet cache", result.StandardError);
        Assert.Single(result.StandardError.Trim().Split('\n'));
    }

    /// <summary>Evaluates <paramref name="expression"/> over the flake's outputs (as <c>outputs</c>, its attributes in scope), with nixpkgs absent.</summary>
    private static async Task<string> EvaluateAsync(string expression)
    {
        var program = $"let outputs = (import ./flake.nix).outputs {{ self = {{ }}; nixpkgs = throw \"nixpkgs is not reachable offline\"; }}; in with outputs; {expression}";
        var result = await NixAsync(Root, "nix-instantiate", "--eval", "--strict", "--json", "--expr", program);
        Assert.True(result.ExitCode == 0, $"nix could not evaluate {expression}:\n{result.AllOutput}");
        return result.StandardOutput.Trim();
    }

    private static Task<CommandLine.Result> NixAsync(string folder, string command, params string[] args) =>
        CommandLine.RunAsync(folder, new Dictionary<string, string>(), TimeSpan.FromMinutes(1), command, ["--option", "build-users-group", "", .. args]);

    private static Task<CommandLine.Result> GeneratorAsync(string lockFile, string output) =>
        CommandLine.RunAsync(Root, new Dictionary<string, string>(), TimeSpan.FromMinutes(1), "python3", Path.Combine(Root, "build", "nix-nuget-deps.py"), lockFile, output);
}
