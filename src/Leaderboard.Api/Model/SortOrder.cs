using System.Text.Json.Serialization;

namespace Leaderboard.Api.Model;

/// <summary>Which end of the score range ranks first.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SortOrder>))]
public enum SortOrder
{
    /// <summary>Higher scores rank first (points, kills).</summary>
    [JsonStringEnumMemberName("descending")]
    Descending,

    /// <summary>Lower scores rank first (lap times).</summary>
    [JsonStringEnumMemberName("ascending")]
    Ascending,
}
