namespace Stack.GitOps;

/// <summary>
/// A new version of a folder, written beside it and swapped in as a whole by renames, so a failed
/// or interrupted publish leaves the old tree exactly as it was. Write it, check it at
/// <see cref="Path"/>, then <see cref="SwapIn"/>; disposing it without swapping removes it.
/// </summary>
public sealed class StagedTree : IDisposable
{
    private readonly string _target;
    private bool _swapped;

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
        var parent = System.IO.Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(parent);

        // Same parent, same filesystem: the renames of SwapIn are atomic.
        var staged = new StagedTree(target, System.IO.Path.Combine(parent, $".{System.IO.Path.GetFileName(target)}.publishing-{Guid.NewGuid():N}"));
        try
        {
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
    public void SwapIn()
    {
        ObjectDisposedException.ThrowIf(_swapped || !Directory.Exists(Path), this);
        if (!Directory.Exists(_target))
        {
            Directory.Move(Path, _target);
            _swapped = true;
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

        _swapped = true;
        Directory.Delete(retired, recursive: true);
    }

    /// <summary>Removes the staging folder unless it was swapped in.</summary>
    public void Dispose()
    {
        if (!_swapped && Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
