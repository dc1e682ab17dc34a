namespace Stack.Tests.Shared;

/// <summary>A folder that exists for one test (or fixture) and is deleted after it, leaving nothing behind in the temp folder.</summary>
internal sealed class TemporaryDirectory : IDisposable
{
    private static readonly TimeSpan DeletePatience = TimeSpan.FromSeconds(15);

    // Directly in the temp folder, not under a shared parent that would stay behind.
    public TemporaryDirectory()
    {
        Directory.CreateDirectory(Path);
        if (!OperatingSystem.IsWindows())
        {
            // 0755 whatever the umask: as root, PostgreSQL runs as 'postgres', which must enter a data folder
            // made here; otherwise the AppHost would keep its data in a machine-wide folder no test deletes.
            File.SetUnixFileMode(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }
    }

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"stack-test-{Guid.NewGuid():N}"[..23]);

    /// <summary>A new temporary folder holding a copy of every file under <paramref name="source"/>.</summary>
    public static TemporaryDirectory CopyOf(string source)
    {
        var copy = new TemporaryDirectory();
        CopyTree(source, copy.Path);
        return copy;
    }

    /// <summary>Copies every file under <paramref name="from"/> to the same relative path under <paramref name="to"/>.</summary>
    public static void CopyTree(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = System.IO.Path.Combine(to, System.IO.Path.GetRelativePath(from, file));
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    /// <summary>
    /// Deletes the folder. A server that was just stopped may still be writing its last files
    /// (PostgreSQL's shutdown checkpoint), so it tries again for a while; a folder that cannot be
    /// deleted even then fails the test rather than staying behind unnoticed.
    /// </summary>
    public void Dispose()
    {
        var deadline = DateTime.UtcNow + DeletePatience;
        while (true)
        {
            try
            {
                if (Directory.Exists(Path))
                {
                    Directory.Delete(Path, recursive: true);
                }

                return;
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new IOException($"The test folder {Path} could not be deleted within {DeletePatience.TotalSeconds:0} s: {exception.Message}", exception);
                }

                Thread.Sleep(TimeSpan.FromMilliseconds(200));
            }
        }
    }
}
