using System.ComponentModel;
using Stack.Dspy.Evaluation;
using Stack.Dspy.Signatures;

namespace Stack.Dspy.Tests;

/// <summary>A small signature of the tests' own: a city's readings in, a one-line forecast out.</summary>
public sealed record Readings(
    [property: Description("The city the readings are from.")] string City,
    [property: Description("Temperatures of the day in °C, in the order measured.")] IReadOnlyList<int> Temperatures)
{
    // A record compares a list by reference; readings read back from JSON are equal by their values.
    public bool Equals(Readings? other) =>
        other is not null && City == other.City && Temperatures.SequenceEqual(other.Temperatures);

    public override int GetHashCode() => HashCode.Combine(City, Temperatures.Count);
}

public sealed record Forecast(
    [property: Description("One sentence about the day.")] string Summary,
    [property: Description("The highest temperature in °C.")] int High);

public sealed record Undescribed(string City);

/// <summary>Passes a forecast whose high is the true maximum and whose summary names the city.</summary>
public sealed class HighIsRight : IMetric<Readings, Forecast>
{
    public string Name => "high-is-right";

    public MetricResult Judge(Example<Readings, Forecast> example, Forecast output)
    {
        var failures = new List<string>();
        if (output.High != example.Input.Temperatures.Max())
        {
            failures.Add($"high {output.High} is not the maximum");
        }

        if (!output.Summary.Contains(example.Input.City, StringComparison.Ordinal))
        {
            failures.Add("the summary does not name the city");
        }

        return MetricResult.Of(2, failures);
    }
}

internal static class Weather
{
    public static readonly Signature<Readings, Forecast> Signature = new("Write the day's forecast from the readings.");

    public static Readings Oslo => new("Oslo", [3, 7, 5]);

    public static Readings Rome => new("Rome", [18, 24, 21]);

    public static Readings Lima => new("Lima", [15, 19, 16]);
}
