namespace Leaderboard.Api;

/// <summary>
/// The service key of the clock that paces the service itself (the live feed's throttle), apart
/// from the business clock (the unkeyed <see cref="TimeProvider"/>) that dates scores and periods.
/// Tests hold the business clock still to pin a period, which would hold a throttle on it shut; a
/// test of the throttle holds this one instead and counts what each second of it lets through,
/// however fast the machine is.
/// </summary>
internal static class WallClock
{
    public const string Key = "wall-clock";
}
