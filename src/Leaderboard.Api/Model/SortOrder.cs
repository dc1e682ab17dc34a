using System.Text.Json.Serialization;

namespace Leaderboard.Api.Model;

/// <summary>Which end of the score range ranks first.</summary>
/// <remarks>
/// Read and written by name only, by the converter of the API's JSON options (<c>ApiJsonOptions</c>):
/// a converter attribute here would take precedence over it and accept integers.
/// </remarks>
public enum SortOrder
{
    /// <summary>Higher scores rank first (points, kills).</summary>
    [JsonStringEnumMemberName("descending")]
    Descending,

    /// <summary>Lower scores rank first (lap times).</summary>
    [JsonStringEnumMemberName("ascending")]
    Ascending,
}
