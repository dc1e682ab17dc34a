using Microsoft.AspNetCore.Diagnostics;
using Npgsql;

namespace Leaderboard.Api.Http;

/// <summary>
/// PostgreSQL out of reach (refused or dropped connections, Npgsql's connect or command timeout, a
/// server shutting down or refusing connections) is 503 with Retry-After, not 500. Nothing is
/// acknowledged without a commit, so a client that gets this answer retries; a write whose commit
/// could not be confirmed is applied once when it is retried with the same Idempotency-Key.
/// </summary>
internal sealed class DatabaseUnavailableExceptionHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    public const string RetryAfterSeconds = "2";

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!IsUnavailable(exception))
        {
            return false;
        }

        return await UnavailableProblem.WriteAsync(
            problemDetails,
            httpContext,
            exception,
            RetryAfterSeconds,
            title: "Score store unavailable",
            detail: "The score store (PostgreSQL) cannot be reached; this request was not acknowledged. "
                + "Retry after Retry-After; retry a score with the same Idempotency-Key, so that it is applied once even if it was stored.");
    }

    /// <summary>
    /// Whether <paramref name="exception"/> says the database is unavailable rather than that the
    /// request was wrong: every Npgsql failure that is not an answer from the server, and the
    /// server's own transient answers (shutting down, starting up, too many connections).
    /// </summary>
    public static bool IsUnavailable(Exception exception) => exception switch
    {
        PostgresException answer => answer.IsTransient,
        NpgsqlException => true,
        _ => false,
    };
}
