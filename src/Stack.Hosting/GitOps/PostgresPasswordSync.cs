namespace Stack.Hosting.GitOps;

/// <summary>
/// The postStart hook of a published PostgreSQL server: once the server answers on its local
/// socket (trusted for the server's own user), it sets the superuser's password to the one in the
/// container's environment, so a rotated Secret is adopted on restart. It retries while the image
/// is still initialising, and never fails the container (a failed hook would restart it); a
/// password left unchanged shows as clients failing to log in.
/// </summary>
public static class PostgresPasswordSync
{
    /// <summary>The shell script (POSIX sh); reads POSTGRES_USER and POSTGRES_PASSWORD.</summary>
    public const string Script = """
        for attempt in $(seq 1 120); do
          if pg_isready -q -U "$POSTGRES_USER" -d postgres \
            && printf 'ALTER ROLE "%s" PASSWORD '\''%s'\'';\n' "$POSTGRES_USER" "$POSTGRES_PASSWORD" \
              | psql -q -X -v ON_ERROR_STOP=1 -U "$POSTGRES_USER" -d postgres >/dev/null 2>&1; then
            exit 0
          fi
          sleep 1
        done
        exit 0
        """;
}
