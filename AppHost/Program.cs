var builder = DistributedApplication.CreateBuilder(args);

// Infrastructure: containers when Docker or Podman answers, local processes otherwise (see README).
if (!builder.TryChooseLocalInfrastructure(out var infrastructure, out var problem))
{
    Console.Error.WriteLine(problem);
    return 1;
}

// Data: Redis holds the ranking index, PostgreSQL the durable scores.
var cache = infrastructure.AddRedis("cache");
var leaderboardDb = infrastructure.AddPostgres("postgres").AddDatabase("leaderboard-db");

// Services: the game-facing leaderboard API at a fixed local address.
builder.AddProject<Projects.Leaderboard_Api>("leaderboard-api")
    .WithReference(cache).WaitFor(cache)
    .WithReference(leaderboardDb).WaitFor(leaderboardDb)
    .WithEndpoint("http", endpoint => endpoint.Port = 5080)
    .WithExternalHttpEndpoints()
    .WithHttpHealthCheck("/health");

builder.Build().Run();
return 0;
