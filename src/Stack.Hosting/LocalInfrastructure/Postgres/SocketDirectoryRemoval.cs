using Microsoft.Extensions.Hosting;

namespace Stack.Hosting.LocalInfrastructure.Postgres;

/// <summary>
/// Deletes a server's short Unix-socket folder (<c>/tmp/stack-pg-*</c>) when the AppHost stops, on
/// either way out: <c>Run()</c> stops the host (ApplicationStopped) without disposing it, and a test
/// disposes the app without stopping it (the container disposes what its factories made).
/// The folder holds only the socket and its lock file, which mean nothing once the AppHost is gone;
/// a server still shutting down does not need it (PostgreSQL ignores a socket file it cannot remove).
/// </summary>
internal sealed class SocketDirectoryRemoval : IDisposable
{
    private readonly string _socketDirectory;
    private readonly CancellationTokenRegistration _onStopped;

    public SocketDirectoryRemoval(string socketDirectory, IHostApplicationLifetime lifetime)
    {
        _socketDirectory = socketDirectory;
        _onStopped = lifetime.ApplicationStopped.Register(Remove);
    }

    public void Dispose()
    {
        _onStopped.Dispose();
        Remove();
    }

    private void Remove()
    {
        try
        {
            if (Directory.Exists(_socketDirectory))
            {
                Directory.Delete(_socketDirectory, recursive: true);
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Stopping must not fail over a temp folder; the next start of the same data folder reuses it.
        }
    }
}
