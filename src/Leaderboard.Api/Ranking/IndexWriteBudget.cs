using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Leaderboard.Api.Ranking;

/// <summary>
/// How long a write waits for the index (<c>Leaderboard:IndexWriteBudget</c>, default 250 ms). The
/// write is durable in PostgreSQL before the index is touched, so a slow or stalled Redis must not
/// hold it: past the budget the write is answered without a rank and its period is repaired later.
/// </summary>
internal sealed class IndexWriteBudget(IOptions<IndexWriteBudget.Settings> settings)
{
    private readonly TimeSpan _budget = settings.Value.IndexWriteBudget;

    /// <summary>Bound from the <c>Leaderboard</c> section.</summary>
    public sealed class Settings
    {
        public const string Section = "Leaderboard";

        [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00")]
        public TimeSpan IndexWriteBudget { get; set; } = TimeSpan.FromMilliseconds(250);
    }

    /// <summary><paramref name="call"/>'s result, if it comes within the budget.</summary>
    /// <exception cref="IndexUnavailableException">Redis failed, or did not answer within the budget.</exception>
    public async Task<T> WithinAsync<T>(Task<T> call)
    {
        try
        {
            // Wall-clock time, not the business clock (which tests may hold still).
            return await call.WaitAsync(_budget, TimeProvider.System);
        }
        catch (TimeoutException exception)
        {
            // The call goes on in the background; whatever it ends with, nobody waits for it.
            _ = call.ContinueWith(static late => late.Exception, TaskScheduler.Default);
            throw new IndexUnavailableException($"The ranking index (Redis) did not answer within the write budget of {_budget.TotalMilliseconds} ms.", exception);
        }
    }

    /// <inheritdoc cref="WithinAsync{T}(Task{T})"/>
    public Task WithinAsync(Task call) => WithinAsync(Wrap(call));

    private static async Task<bool> Wrap(Task call)
    {
        await call;
        return true;
    }
}
