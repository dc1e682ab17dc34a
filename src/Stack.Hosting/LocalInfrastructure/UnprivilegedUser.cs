namespace Stack.Hosting.LocalInfrastructure;

/// <summary>
/// PostgreSQL refuses to run as root, and CI runs as root: there, server processes run as an
/// unprivileged account through <c>runuser</c>. Everywhere else they run as the current user.
/// </summary>
public sealed class UnprivilegedUser
{
    private UnprivilegedUser(string name, string runUser)
    {
        Name = name;
        RunUserPath = runUser;
    }

    /// <summary>The account the servers run as.</summary>
    public string Name { get; }

    /// <summary>Full path of <c>runuser</c>.</summary>
    public string RunUserPath { get; }

    /// <summary>Whether the AppHost itself runs as root and so must step down.</summary>
    public static bool IsNeeded => Environment.IsPrivilegedProcess && !OperatingSystem.IsWindows();

    /// <summary>The <paramref name="account"/> when it exists and <c>runuser</c> is present; otherwise <see langword="null"/>.</summary>
    public static UnprivilegedUser? Find(string account)
    {
        var runUser = ExecutableSearch.Find("runuser", "/usr/sbin", "/sbin");
        return runUser is not null && AccountExists(account) ? new UnprivilegedUser(account, runUser) : null;
    }

    /// <summary>The command and arguments that run <paramref name="command"/> as this user.</summary>
    public (string Command, IReadOnlyList<string> Args) Wrap(string command, IEnumerable<string> args) =>
        (RunUserPath, ["-u", Name, "--", command, .. args]);

    /// <summary>Gives <paramref name="directory"/> to this user so the server can write there.</summary>
    public async Task TakeOwnershipAsync(string directory, CancellationToken cancellationToken)
    {
        var result = await ProcessRunner.RunAsync("chown", ["-R", $"{Name}:", directory], cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Could not give '{directory}' to user '{Name}': {result.Output.Trim()}");
        }
    }

    /// <summary>Whether this user can enter <paramref name="directory"/> (every parent must let it through).</summary>
    public bool CanEnter(string directory)
    {
        var (command, args) = Wrap("test", ["-x", directory]);
        return ProcessRunner.RunAsync(command, args, CancellationToken.None).GetAwaiter().GetResult().Succeeded;
    }

    private static bool AccountExists(string account) =>
        File.Exists("/etc/passwd")
        && File.ReadLines("/etc/passwd").Any(line => line.StartsWith(account + ":", StringComparison.Ordinal));
}
