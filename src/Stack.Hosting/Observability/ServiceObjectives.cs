using System.Globalization;

namespace Stack.Hosting.Observability;

/// <summary>
/// What a service promises its callers, per environment: the p95 latency of its requests, the share
/// of requests that may fail with a 5xx, and the availability its error budget is measured against.
/// The SLO alerts, the dashboard's thresholds and a blue-green release's analysis read them.
/// </summary>
/// <param name="LatencyP95">The 95th percentile of request durations, per route, that must not be exceeded for 5 minutes.</param>
/// <param name="MaxErrorRatio">The share of requests answered 5xx that must not be exceeded for 5 minutes (0.01 = 1%).</param>
/// <param name="Availability">The share of requests that must not fail over 30 days (0.999 = 99.9%); its complement is the error budget the burn-rate alerts watch.</param>
public sealed record ServiceObjectives(TimeSpan LatencyP95, double MaxErrorRatio, double Availability)
{
    /// <summary>300 ms p95, at most 1% of requests 5xx, 99.9% available.</summary>
    public static ServiceObjectives Default { get; } = new(TimeSpan.FromMilliseconds(300), 0.01, 0.999);

    /// <summary>The share of requests that may fail (1 − <see cref="Availability"/>), as PromQL writes it.</summary>
    internal string ErrorBudget => Number(1 - (decimal)Availability);

    /// <summary>The p95 objective in seconds, as PromQL writes it.</summary>
    internal string LatencyP95Seconds => Number((decimal)LatencyP95.TotalSeconds);

    internal string MaxErrorRatioText => Number((decimal)MaxErrorRatio);

    /// <summary>Checks the values: a positive latency and ratios between 0 and 1.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is outside its range.</exception>
    public ServiceObjectives Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(LatencyP95, TimeSpan.Zero, nameof(LatencyP95));
        if (MaxErrorRatio is <= 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxErrorRatio), MaxErrorRatio, "The error ratio objective must be between 0 and 1 (0.01 = 1%).");
        }

        if (Availability is <= 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Availability), Availability, "The availability objective must be between 0 and 1 (0.999 = 99.9%).");
        }

        return this;
    }

    // Decimal keeps 0.999 → 0.001 exact; the text never carries binary noise (0.0010000000000000009).
    private static string Number(decimal value) => value.ToString("0.############", CultureInfo.InvariantCulture);
}
