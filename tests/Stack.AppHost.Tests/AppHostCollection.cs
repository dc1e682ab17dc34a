namespace Stack.AppHost.Tests;

/// <summary>
/// Whole-graph tests run one at a time: each starts DCP, PostgreSQL, Redis and two .NET
/// processes, and some change the process-wide PATH; the CI machine has two cores. The tests
/// that only look at a running stack share one (<see cref="RunningStackFixture"/>).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AppHostCollection : ICollectionFixture<RunningStackFixture>
{
    public const string Name = "AppHost";
}
