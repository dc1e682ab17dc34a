using System.Diagnostics;

namespace Stack.Cluster.Tests.Envtest;

/// <summary>
/// One binary of the control plane, running in the background with its output in a log file.
/// Started through <c>sh -c 'exec ...'</c>, so the recorded process id is the binary itself and
/// its output goes straight to the file, with nothing of ours to pump.
/// </summary>
internal sealed class ClusterProcess : IDisposable
{
    private readonly Process _process;

    private ClusterProcess(string name, string logFile, Process process)
    {
        Name = name;
        LogFile = logFile;
        _process = process;
    }

    public string Name { get; }

    public string LogFile { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public static ClusterProcess Start(string name, string logFile, string executable, IEnumerable<string> arguments)
    {
        var startInfo = new ProcessStartInfo("/bin/sh")
        {
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add("-c");
        startInfo.ArgumentList.Add("exec \"$0\" \"$@\" > \"$LOG_FILE\" 2>&1 < /dev/null");
        startInfo.ArgumentList.Add(executable);
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.Environment["LOG_FILE"] = logFile;
        return new ClusterProcess(name, logFile, Process.Start(startInfo)!);
    }

    /// <summary>Whether the binary stopped because another process took its port first.</summary>
    public bool LostAPortRace() => HasExited && LogTail().Contains("address already in use", StringComparison.OrdinalIgnoreCase);

    /// <summary>The last lines of its log, for a failure message.</summary>
    public string LogTail(int lines = 15)
    {
        try
        {
            using var stream = new FileStream(LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            return string.Join('\n', reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(lines));
        }
        catch (IOException)
        {
            return "";
        }
    }

    /// <summary>Kills the binary (a throwaway control plane needs no graceful shutdown) and waits until it is gone.</summary>
    public void Stop()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit(TimeSpan.FromSeconds(30));
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    public void Dispose()
    {
        Stop();
        _process.Dispose();
    }
}
