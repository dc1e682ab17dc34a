namespace Stack.Hosting.LocalInfrastructure;

/// <summary>The machine's PostgreSQL server binaries used in process mode.</summary>
/// <param name="InitDb">Full path of <c>initdb</c>.</param>
/// <param name="Postgres">Full path of <c>postgres</c>, from the same installation.</param>
public sealed record PostgresPrograms(string InitDb, string Postgres)
{
    /// <summary>Debian and Ubuntu keep server binaries off PATH, one folder per major version.</summary>
    private const string DebianPostgresRoot = "/usr/lib/postgresql";

    /// <summary>
    /// <c>initdb</c> and <c>postgres</c> from <paramref name="binDirectory"/> when given (and only there);
    /// otherwise from PATH, else from the newest <c>/usr/lib/postgresql/*/bin</c>.
    /// <see langword="null"/> when no PostgreSQL server is found.
    /// </summary>
    public static PostgresPrograms? Find(string? binDirectory = null)
    {
        if (!string.IsNullOrEmpty(binDirectory))
        {
            return FromFolder(binDirectory);
        }

        if (ExecutableSearch.Find("initdb") is { } initDb && ExecutableSearch.Find("postgres") is { } postgres)
        {
            return new PostgresPrograms(initDb, postgres);
        }

        if (!Directory.Exists(DebianPostgresRoot))
        {
            return null;
        }

        return Directory.GetDirectories(DebianPostgresRoot)
            .Select(versionFolder => (Version: ParseMajorVersion(versionFolder), Bin: Path.Combine(versionFolder, "bin")))
            .Where(candidate => candidate.Version is not null)
            .OrderByDescending(candidate => candidate.Version)
            .Select(candidate => FromFolder(candidate.Bin))
            .FirstOrDefault(programs => programs is not null);
    }

    private static PostgresPrograms? FromFolder(string folder) =>
        ExecutableSearch.FindIn([folder], "initdb") is { } initDb && ExecutableSearch.FindIn([folder], "postgres") is { } postgres
            ? new PostgresPrograms(initDb, postgres)
            : null;

    private static int? ParseMajorVersion(string folder) =>
        int.TryParse(Path.GetFileName(folder), out var version) ? version : null;
}
