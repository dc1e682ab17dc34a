using Aspire.Hosting.Testing;
using Stack.Hosting.LocalInfrastructure.Postgres;

namespace Leaderboard.Api.Tests;

/// <summary>The short Unix-socket folder (<c>/tmp/stack-pg-*</c>) of a process-mode PostgreSQL goes when the AppHost stops.</summary>
public sealed class PostgresSocketFolderTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(true)] // `dotnet run`: Run() stops the host and never disposes it
    [InlineData(false)] // a test: the app is disposed without being stopped
    public async Task TheSocketFolderIsDeletedWhenTheAppHostStops(bool stoppedBeforeDisposed)
    {
        using var data = new TemporaryDirectory();
        var builder = DistributedApplicationTestingBuilder.Create("--Stack:LocalInfrastructure=processes", $"--Stack:DataDirectory={data.Path}");
        Assert.True(builder.TryChooseLocalInfrastructure(out var infrastructure, out var problem), problem);
        var server = Assert.IsType<PostgresProcessResource>(infrastructure.AddPostgres("postgres").Server.Resource);

        var app = await builder.BuildAsync(Cancellation).WaitAsync(Patience, Cancellation);
        try
        {
            await app.StartAsync(Cancellation).WaitAsync(Patience, Cancellation);
            await app.ResourceNotifications.WaitForResourceHealthyAsync("postgres", Cancellation).WaitAsync(Patience, Cancellation);
            Assert.True(Directory.Exists(server.SocketDirectory), $"{server.SocketDirectory} does not exist while the server runs");

            if (stoppedBeforeDisposed)
            {
                await app.StopAsync(Cancellation).WaitAsync(Patience, Cancellation);
                Assert.False(Directory.Exists(server.SocketDirectory), $"{server.SocketDirectory} is still there after the AppHost stopped");
            }
        }
        finally
        {
            await app.DisposeAsync();
        }

        Assert.False(Directory.Exists(server.SocketDirectory), $"{server.SocketDirectory} is still there after the AppHost was disposed");
    }
}
