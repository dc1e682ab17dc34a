namespace Leaderboard.Stats.Feed;

/// <summary>Submissions one write transaction accepted for a board period, in the minute it committed them.</summary>
public sealed record SubmissionCount(string Period, DateTimeOffset Minute, long Submissions);
