using Stack.Hosting.LocalInfrastructure;

namespace Stack.Hosting.Tests;

public sealed class ProcessRunnerTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task AStoppedCommandIsGoneOnceRunAsyncHasThrown()
    {
        var folder = Directory.CreateTempSubdirectory("stack-runner-");
        try
        {
            var pidFile = Path.Combine(folder.FullName, "pid");
            // Half a gigabyte written to, so the kernel takes a moment to tear the killed process down.
            var script = $"echo $$ > '{pidFile}'; exec python3 -c 'import time; b = bytearray(512 << 20); time.sleep(60)'";
            using var stop = new CancellationTokenSource();
            var run = ProcessRunner.RunAsync("sh", ["-c", script], stop.Token);

            var deadline = DateTime.UtcNow + Patience;
            while (!File.Exists(pidFile) || File.ReadAllText(pidFile).Trim().Length == 0 || !HoldsMemory(int.Parse(File.ReadAllText(pidFile).Trim())))
            {
                Assert.True(DateTime.UtcNow < deadline, "the command never started");
                await Task.Delay(50, TestContext.Current.CancellationToken);
            }

            var pid = int.Parse(File.ReadAllText(pidFile).Trim());
            await stop.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);

            Assert.False(Directory.Exists($"/proc/{pid}"), $"process {pid} still exists after RunAsync threw");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    // The resident size has reached the buffer: python3 has allocated it and is sleeping.
    private static bool HoldsMemory(int pid)
    {
        try
        {
            var rss = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(line => line.StartsWith("VmRSS:", StringComparison.Ordinal));
            return rss is not null && long.Parse(rss.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) > 400_000;
        }
        catch (IOException)
        {
            return false;
        }
    }
}
