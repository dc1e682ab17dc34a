using Leaderboard.Recaps;
using Leaderboard.Stats.Recaps;
using Leaderboard.Stats.Worker;
using Npgsql;
using Stack.Dspy.Models;

namespace Leaderboard.Stats;

/// <summary>
/// The stats worker: no public API of its own, only /health, /alive and its metrics. Run as many
/// replicas as wanted; each board is applied by one of them at a time (ChangeApplier). A named
/// class, not top-level statements, so its Program never meets the API's in a test assembly.
/// </summary>
internal static partial class Program
{
    /// <summary>The recap model's connection string (README, Stats): Endpoint=…;Model=…[;Key=…].</summary>
    public const string RecapModel = "recap-model";

    public static void Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);

        builder.AddServiceDefaults();
        builder.AddNpgsqlDataSource("leaderboard-db");
        builder.Services.AddSingleton<StatsLag>();
        builder.Services.AddHostedService<StatsWorker>();

        // Recaps only with a model; without one the aggregates work all the same.
        var recaps = ChatModelConnection.TryParse(builder.Configuration.GetConnectionString(RecapModel), out var model, out var problem);
        if (recaps)
        {
            // Recaps:Interval (between rounds) and Recaps:MinimumInterval (between two recaps of a period) tune the pace.
            var recapsConfig = builder.Configuration.GetSection("Recaps");
            builder.Services.AddSingleton(new RecapWriter(model!.CreateChatClient(), RecapProgram.LoadShipped()));
            builder.Services.AddSingleton(services => new RecapStage(
                services.GetRequiredService<NpgsqlDataSource>(), services.GetRequiredService<RecapWriter>(), services.GetRequiredService<ILogger<RecapStage>>())
            {
                MinimumInterval = recapsConfig.GetValue("MinimumInterval", RecapStage.DefaultMinimumInterval),
            });
            builder.Services.AddHostedService(services => new RecapService(services.GetRequiredService<RecapStage>(), services.GetRequiredService<ILogger<RecapService>>())
            {
                Interval = recapsConfig.GetValue("Interval", RecapService.DefaultInterval),
            });
        }

        var app = builder.Build();
        if (recaps)
        {
            LogRecapsOn(app.Logger, model!.ToString());
        }
        else
        {
            LogRecapsOff(app.Logger, problem!);
        }

        app.MapDefaultEndpoints();
        app.Run();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Recaps are written by {Model}.")]
    private static partial void LogRecapsOn(ILogger logger, string model);

    [LoggerMessage(Level = LogLevel.Information, Message = "Recaps are off ({Reason}); the stats are kept all the same.")]
    private static partial void LogRecapsOff(ILogger logger, string reason);
}
