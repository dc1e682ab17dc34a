using Leaderboard.Stats.Worker;

namespace Leaderboard.Stats;

/// <summary>
/// The stats worker: no public API of its own, only /health, /alive and its metrics. Run as many
/// replicas as wanted; each board is applied by one of them at a time (ChangeApplier). A named
/// class, not top-level statements, so its Program never meets the API's in a test assembly.
/// </summary>
internal static class Program
{
    public static void Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);

        builder.AddServiceDefaults();
        builder.AddNpgsqlDataSource("leaderboard-db");
        builder.Services.AddSingleton<StatsLag>();
        builder.Services.AddHostedService<StatsWorker>();

        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.Run();
    }
}
