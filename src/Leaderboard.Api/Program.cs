using Leaderboard.Api;
using Leaderboard.Api.Data;
using Leaderboard.Api.Http;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();
builder.Services.AddProblemDetails();
builder.Services.AddOpenApi();

var app = builder.Build();

// `Leaderboard.Api migrate` (the Kubernetes migration Job): bring the schema up to date and exit.
if (args.IsMigrateCommand())
{
    return await app.RunMigrateCommandAsync();
}

app.UseRequestGuards();
app.MapApiReference();
app.UseLivePage();

app.MapDefaultEndpoints();
app.MapBoardsApi();
app.MapScoresApi();
app.MapRankingsApi();
app.MapStatsApi();

app.Run();
return 0;

/// <summary>Entry point type, visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
