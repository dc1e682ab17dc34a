namespace Leaderboard.Api.Model;

/// <summary>Body of <c>POST /api/leaderboards/{boardId}/players/query</c>: up to 100 player ids (a friends board).</summary>
/// <param name="PlayerIds">The players to look up; unknown ids are left out of the answer.</param>
public sealed record PlayersQuery(IReadOnlyList<string>? PlayerIds);
