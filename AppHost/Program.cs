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

// Secrets: API keys, generated once and kept in user secrets; override with Parameters__<name>.
var serverKey = builder.AddParameter("leaderboard-server-key", new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true, persist: true);
var adminKey = builder.AddParameter("leaderboard-admin-key", new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true, persist: true);

// Services: the game-facing leaderboard API, two replicas behind one fixed local address.
builder.AddProject<Projects.Leaderboard_Api>("leaderboard-api")
    .WithReference(cache).WaitFor(cache)
    .WithReference(leaderboardDb).WaitFor(leaderboardDb)
    .WithEnvironment("Leaderboard__ServerKey", serverKey)
    .WithEnvironment("Leaderboard__AdminKey", adminKey)
    .WithRebuildIndexesCommand(adminKey)
    .WithReplicas(2)
    .WithEndpoint("http", endpoint => endpoint.Port = 5080)
    .WithExternalHttpEndpoints()
    .WithHttpHealthCheck("/health");

builder.Build().Run();
return 0;
