namespace Leaderboard.Api.Http;

/// <summary>What a route needs: the server key (or admin key) for writes, the admin key for administration.</summary>
public enum ApiKeyRole
{
    Server,
    Admin,
}
