using System.ComponentModel.DataAnnotations;

namespace Leaderboard.Api.Http;

/// <summary>
/// The two API keys, sent as header <c>X-Api-Key</c>. The AppHost passes its secret parameters
/// <c>leaderboard-server-key</c> and <c>leaderboard-admin-key</c> as <c>Leaderboard__ServerKey</c>
/// and <c>Leaderboard__AdminKey</c>; the service refuses to start without them.
/// </summary>
public sealed class ApiKeyOptions
{
    public const string Section = "Leaderboard";

    /// <summary>Game servers: submit scores. (The admin key is accepted too.)</summary>
    [Required(ErrorMessage = "Leaderboard:ServerKey (env Leaderboard__ServerKey) must be set.")]
    [MinLength(16, ErrorMessage = "Leaderboard:ServerKey must be at least 16 characters.")]
    public string ServerKey { get; set; } = string.Empty;

    /// <summary>Operators: create and delete boards, remove players, rebuild indexes.</summary>
    [Required(ErrorMessage = "Leaderboard:AdminKey (env Leaderboard__AdminKey) must be set.")]
    [MinLength(16, ErrorMessage = "Leaderboard:AdminKey must be at least 16 characters.")]
    public string AdminKey { get; set; } = string.Empty;
}
