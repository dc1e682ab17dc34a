namespace Leaderboard.Recaps.Tests;

/// <summary>A digest whose every number and player the tests know by heart.</summary>
internal static class Digests
{
    public static PeriodDigest Arena => new(
        Board: "arena", Period: "season-2", Entries: 8800, SubmissionsPerMinute: 122, MinScore: 0, MaxScore: 3310,
        MeanScore: 1502.94, P50: 1490, P90: 2405, P99: 3012, Leader: "vex", LeaderScore: 3310,
        NewLeaders: ["ryn", "vex"], Climbers: [new Climber("ash", 230), new Climber("tor", 88)]);

    public static Recap Faithful => new("@vex leads season-2 on 3,310", ["@ash climbed 230 places in the last hour.", "8800 players; the mean is 1502.9."]);
}
