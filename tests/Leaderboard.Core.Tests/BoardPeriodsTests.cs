using Leaderboard.Api.Boards;
using Leaderboard.Api.Model;
using Microsoft.Extensions.Time.Testing;

namespace Leaderboard.Core.Tests;

/// <summary>Which period a board is in: created at its first period's start, a new one at each tick of its schedule (UTC).</summary>
public sealed class BoardPeriodsTests
{
    // Every Monday 00:00 UTC; the board was created on Thursday 2026-11-26 12:00.
    private const string Weekly = "0 0 * * 1";

    [Fact]
    public void ABoardWithoutAScheduleHasOneEverlastingPeriod()
    {
        var periods = new BoardPeriods(new FakeTimeProvider(Boards.Created.AddYears(3)));

        var period = periods.Current(Boards.With());

        Assert.Equal(new Period("all-time", Boards.Created, null), period);
    }

    [Fact]
    public void TheFirstPeriodStartsAtCreationAndEndsAtTheNextTick()
    {
        var period = new BoardPeriods(new FakeTimeProvider(Boards.Created.AddHours(1))).Current(Boards.With(resetSchedule: Weekly));

        Assert.Equal(new Period("20261126T120000Z", Boards.Created, new DateTimeOffset(2026, 11, 30, 0, 0, 0, TimeSpan.Zero)), period);
    }

    [Theory]
    [InlineData("2026-11-29T23:59:59Z", "20261126T120000Z")]
    [InlineData("2026-11-30T00:00:00Z", "20261130T000000Z")]
    [InlineData("2026-12-06T23:59:59Z", "20261130T000000Z")]
    [InlineData("2026-12-07T00:00:00Z", "20261207T000000Z")]
    [InlineData("2027-03-01T10:00:00Z", "20270301T000000Z")]
    public void EachTickStartsTheNextPeriodAtTheTickItself(string instant, string expected)
    {
        var periods = new BoardPeriods(TimeProvider.System);

        Assert.Equal(expected, periods.At(Boards.With(resetSchedule: Weekly), DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture)).Id);
    }

    [Fact]
    public void AnEarlierInstantAfterALaterOneIsStillAnsweredRight()
    {
        var periods = new BoardPeriods(TimeProvider.System);
        var board = Boards.With(resetSchedule: Weekly);

        Assert.Equal("20261214T000000Z", periods.At(board, new DateTimeOffset(2026, 12, 15, 0, 0, 0, TimeSpan.Zero)).Id);
        Assert.Equal("20261130T000000Z", periods.At(board, new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero)).Id);
        Assert.Equal("20261214T000000Z", periods.At(board, new DateTimeOffset(2026, 12, 16, 0, 0, 0, TimeSpan.Zero)).Id);
    }

    [Fact]
    public void TheCurrentPeriodFollowsTheClock()
    {
        var clock = new FakeTimeProvider(Boards.Created);
        var periods = new BoardPeriods(clock);
        var board = Boards.With(resetSchedule: Weekly);

        Assert.Equal("20261126T120000Z", periods.Current(board).Id);
        clock.Advance(TimeSpan.FromDays(4));
        Assert.Equal("20261130T000000Z", periods.Current(board).Id);
    }

    [Theory]
    [InlineData("0 0 * * 1", true, null)]
    [InlineData("*/5 * * * *", true, null)]
    [InlineData("0 0 30 2 *", false, "resetSchedule never fires.")]
    [InlineData("every monday", false, "resetSchedule is not a valid cron expression (5 fields, UTC):")]
    [InlineData("0 0 0 * * 1", false, "resetSchedule is not a valid cron expression (5 fields, UTC):")]
    public void OnlyAFiveFieldCronExpressionThatFiresIsASchedule(string schedule, bool valid, string? error)
    {
        Assert.Equal(valid, BoardPeriods.IsValidSchedule(schedule, out var message));
        if (error is null)
        {
            Assert.Null(message);
        }
        else
        {
            Assert.StartsWith(error, message);
        }
    }

    [Fact]
    public void APeriodIsNamedByItsStartInUtc() =>
        Assert.Equal("20261123T010203Z", Period.IdFor(new DateTimeOffset(2026, 11, 23, 2, 2, 3, TimeSpan.FromHours(1))));
}
