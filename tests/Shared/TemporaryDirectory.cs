namespace Stack.Tests.Shared;

/// <summary>A folder that exists for one test (or fixture) and is deleted after it.</summary>
internal sealed class TemporaryDirectory : IDisposable
{
    public TemporaryDirectory() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "stack-tests", Guid.NewGuid().ToString("N")[..12]);

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
