using System.Collections.Concurrent;
using Cronos;
using Leaderboard.Api.Model;

namespace Leaderboard.Api.Boards;

/// <summary>
/// Works out a board's current period from its reset schedule and the clock. The first period
/// starts when the board is created; each cron tick (UTC) starts the next. Time comes from
/// <see cref="TimeProvider"/>, so tests can move it.
/// </summary>
internal sealed class BoardPeriods(TimeProvider clock)
{
    // Last answer per board and schedule: walking the schedule from creation on every request
    // would cost one step per tick since creation.
    private readonly ConcurrentDictionary<(string BoardId, string Schedule, DateTimeOffset CreatedAt), Period> _latest = new();

    /// <summary>The period that submissions go to now.</summary>
    public Period Current(Board board) => At(board, clock.GetUtcNow());

    /// <summary>The period that contains <paramref name="instant"/> (never before the board's creation).</summary>
    public Period At(Board board, DateTimeOffset instant)
    {
        if (board.ResetSchedule is null)
        {
            return new Period(Period.EverlastingId, board.CreatedAt, null);
        }

        var cacheKey = (board.BoardId, board.ResetSchedule, board.CreatedAt);
        var schedule = CronExpression.Parse(board.ResetSchedule);
        var period = _latest.TryGetValue(cacheKey, out var cached) && cached.StartsAt <= instant
            ? cached
            : FirstPeriod(board, schedule);

        while (period.EndsAt is { } end && end <= instant)
        {
            period = new Period(Period.IdFor(end), end, Next(schedule, end));
        }

        _latest[cacheKey] = period;
        return period;
    }

    /// <summary>Whether <paramref name="schedule"/> is a cron expression this service accepts.</summary>
    public static bool IsValidSchedule(string schedule, out string? error)
    {
        try
        {
            var expression = CronExpression.Parse(schedule);
            error = expression.GetNextOccurrence(DateTime.UtcNow) is null ? "resetSchedule never fires." : null;
        }
        catch (CronFormatException exception)
        {
            error = $"resetSchedule is not a valid cron expression (5 fields, UTC): {exception.Message}";
        }

        return error is null;
    }

    private static Period FirstPeriod(Board board, CronExpression schedule) =>
        new(Period.IdFor(board.CreatedAt), board.CreatedAt, Next(schedule, board.CreatedAt));

    private static DateTimeOffset? Next(CronExpression schedule, DateTimeOffset after) =>
        schedule.GetNextOccurrence(after, TimeZoneInfo.Utc, inclusive: false);
}
