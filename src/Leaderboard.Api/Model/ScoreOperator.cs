using System.Text.Json.Serialization;

namespace Leaderboard.Api.Model;

/// <summary>How a submission combines with the player's stored record.</summary>
/// <remarks>
/// Read and written by name only, by the converter of the API's JSON options (<c>ApiJsonOptions</c>):
/// a converter attribute here would take precedence over it and accept integers.
/// </remarks>
public enum ScoreOperator
{
    /// <summary>Keep the better (score, subscore) pair, as a whole.</summary>
    [JsonStringEnumMemberName("best")]
    Best,

    /// <summary>Replace the stored record.</summary>
    [JsonStringEnumMemberName("set")]
    Set,

    /// <summary>Add the submitted score to the stored score.</summary>
    [JsonStringEnumMemberName("increment")]
    Increment,

    /// <summary>Subtract the submitted score from the stored score.</summary>
    [JsonStringEnumMemberName("decrement")]
    Decrement,
}
