namespace Aspire.Hosting;

/// <summary>What the leaderboard API promises and what its row of the Grafana dashboard shows besides rate, p95, errors and saturation.</summary>
public static class LeaderboardObservabilityExtensions
{
    /// <summary>
    /// The leaderboard's objectives (p95 per route 250 ms, at most 1% of requests 5xx, 99.9% available)
    /// and its own panels: ranking-index size per board, rebuilds, submissions by outcome, index
    /// unavailability and live-feed watchers (the meters of <c>Leaderboard.Api/Telemetry</c>).
    /// </summary>
    public static IResourceBuilder<T> WithLeaderboardObservability<T>(this IResourceBuilder<T> builder) where T : IResource
    {
        ArgumentNullException.ThrowIfNull(builder);

        return builder
            .WithServiceObjectives(latencyP95: TimeSpan.FromMilliseconds(250), maxErrorRatio: 0.01, availability: 0.999)
            .WithDashboardPanel(new("Ranking index entries by board", "max by (leaderboard_board) (leaderboard_index_entries{selector})", "short", "{{leaderboard_board}}"))
            .WithDashboardPanel(new("Index rebuilds per minute", "sum by (leaderboard_outcome) (rate(leaderboard_index_rebuilds_total{selector}[5m])) * 60", "short", "{{leaderboard_outcome}}"))
            .WithDashboardPanel(new("Index rebuild p95 duration", "histogram_quantile(0.95, sum by (le) (rate(leaderboard_index_rebuild_duration_seconds_bucket{selector}[15m])))", "s", "p95"))
            .WithDashboardPanel(new("Scores submitted per second", "sum by (leaderboard_operator, leaderboard_outcome) (rate(leaderboard_scores_submitted_total{selector}[5m]))", "reqps", "{{leaderboard_operator}} {{leaderboard_outcome}}"))
            .WithDashboardPanel(new("Idempotent replays per second", "sum(rate(leaderboard_idempotency_replays_total{selector}[5m]))", "reqps", "replays"))
            .WithDashboardPanel(new("Index unavailable per second", "sum by (leaderboard_operation) (rate(leaderboard_index_unavailable_total{selector}[5m]))", "short", "{{leaderboard_operation}}"))
            .WithDashboardPanel(new("Live-feed watchers", "sum(leaderboard_live_watchers{selector})", "short", "watchers"));
    }
}
