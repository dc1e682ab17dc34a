using System.Text.Json.Serialization;

namespace Leaderboard.Api.Model;

/// <summary>How a submission combines with the player's stored record.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ScoreOperator>))]
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
