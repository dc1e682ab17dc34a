namespace Stack.GitOps;

/// <summary>
/// A new version of a folder, written beside it and swapped in as a whole by renames, so a failed
/// or interrupted publish leaves the old tree exactly as it was. Write it, check it at
/// <see cref="Path"/>, then <see cref="SwapIn"/>; disposing it without swapping removes it.
/// </summary>
public sealed class StagedTree : IDisposable
{
    private readonly string _target;

    private StagedTree(string target, string staging)
    {
        _target = target;
        Path = staging;
    }

    /// <summary>The staging folder, beside the target, holding the new files.</summary>
    public string Path { get; }

    /// <summary>Writes <paramref name="files"/> into a new staging folder beside <paramref name="target"/>.</summary>
    public static StagedTree Write(string target, RenderedTree files)
    {
        ArgumentNullException.ThrowIfNull(files);
        target = System.IO.Path.GetFullPath(target).TrimEnd(System.IO.Path.DirectorySeparatorChar);

        // Same parent, same filesystem: the renames of SwapIn are atomic.
        var staged = new StagedTree(target, System.IO.Path.Combine(System.IO.Path.GetDirectoryName(target)!, $".{System.IO.Path.GetFileName(target)}.publishing-{Guid.NewGuid():N}"));
        try
        {
            Directory.CreateDirectory(staged.Path);
            files.WriteTo(staged.Path);
            return staged;
        }
        catch
        {
            staged.Dispose();
            throw;
        }
    }

    /// <summary>Replaces the target with the staged files; the old tree is restored if the swap fails half-way.</summary>
    /// <exception cref="ObjectDisposedException">The staged files were swapped in or removed already.</exception>
    public void SwapIn()
    {
        ObjectDisposedException.ThrowIf(!Directory.Exists(Path), this);
        if (!Directory.Exists(_target))
        {
            Directory.Move(Path, _target);
            return;
        }

        var retired = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(_target)!, $".{System.IO.Path.GetFileName(_target)}.replaced-{Guid.NewGuid():N}");
        Directory.Move(_target, retired);
        try
        {
            Directory.Move(Path, _target);
        }
        catch
        {
            Directory.Move(retired, _target);
            throw;
        }

        Directory.Delete(retired, recursive: true);
    }

    /// <summary>Removes the staging folder unless it was swapped in (then it no longer exists).</summary>
    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
