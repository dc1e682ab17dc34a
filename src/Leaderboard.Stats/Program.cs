using Leaderboard.Recaps;
using Leaderboard.Stats.Recaps;
using Leaderboard.Stats.Worker;
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
            builder.Services.AddSingleton(new RecapWriter(model!.CreateChatClient(), RecapProgram.LoadShipped()));
            builder.Services.AddSingleton<RecapStage>();
            builder.Services.AddHostedService<RecapService>();
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
