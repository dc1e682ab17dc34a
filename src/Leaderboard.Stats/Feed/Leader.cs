namespace Leaderboard.Stats.Feed;

/// <summary>The player at rank 1 of a period and the record that put them there.</summary>
public sealed record Leader(string PlayerId, long Score, long Subscore);

/// <summary>A player who took rank 1, with the record that took it and when.</summary>
public sealed record NewLeader(string Player, long Score, DateTimeOffset At);
