namespace Stack.Tests.Shared;

/// <summary>A folder that exists for one test (or fixture) and is deleted after it.</summary>
internal sealed class TemporaryDirectory : IDisposable
{
    public TemporaryDirectory() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "stack-tests", Guid.NewGuid().ToString("N")[..12]);

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

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A server may still be releasing a file; the OS cleans temp folders eventually.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
