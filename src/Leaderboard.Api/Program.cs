using Leaderboard.Api;
using Leaderboard.Api.Data;
using Leaderboard.Api.Http;
using Scalar.AspNetCore;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();
builder.Services.AddProblemDetails();
builder.Services.AddOpenApi();

var app = builder.Build();

if (args.IsMigrateCommand())
{
    return await app.RunMigrateCommandAsync();
}

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseRequestBodyLimit();
app.UseRateLimiter();

app.MapOpenApi();
if (app.Environment.IsDevelopment())
{
    app.MapScalarApiReference();
}

app.UseDefaultFiles();
app.UseStaticFiles();

app.MapDefaultEndpoints();
app.MapBoardsApi();
app.MapScoresApi();
app.MapRankingsApi();

app.Run();
return 0;

/// <summary>Entry point type, visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
