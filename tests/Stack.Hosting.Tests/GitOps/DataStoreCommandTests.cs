using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using k8s.Models;
using Npgsql;
using Stack.Hosting.LocalInfrastructure;
using StackExchange.Redis;

namespace Stack.Hosting.Tests.GitOps;

/// <summary>
/// The commands the published data stores run, run here for real with the machine's redis-server
/// and PostgreSQL: secrets never reach a command line, Redis sizes itself to its limit, and
/// PostgreSQL adopts a rotated password when it restarts.
/// </summary>
public sealed class DataStoreCommandTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);

    private static async Task<V1Container> PublishedContainerAsync(string name)
    {
        using var output = new TemporaryDirectory();
        var objects = await GitOpsPublishTests.PublishGameGraphAsync(output.Path);
        return Assert.Single(objects.OfType<V1StatefulSet>().Single(s => s.Metadata.Name == name).Spec.Template.Spec.Containers);
    }

    /// <summary>Kubernetes' expansion of a command or argument: <c>$$</c> is a literal <c>$</c>, <c>$(NAME)</c> a declared variable.</summary>
    private static string ExpandAsKubernetes(string text, IReadOnlyDictionary<string, string> declared)
    {
        var result = new System.Text.StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '$' && i + 1 < text.Length && text[i + 1] == '$')
            {
                result.Append('$');
                i++;
            }
            else if (text[i] == '$' && i + 1 < text.Length && text[i + 1] == '(' && text.IndexOf(')', i) is var end and > 0
                && declared.TryGetValue(text[(i + 2)..end], out var value))
            {
                result.Append(value);
                i = end;
            }
            else
            {
                result.Append(text[i]);
            }
        }

        return result.ToString();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Fact]
    public async Task RedisGetsItsPasswordOffTheCommandLineAndAMemoryCeilingFromItsLimit()
    {
        Assert.True(ExecutableSearch.Find("redis-server") is not null, "redis-server is missing: apt-get install redis-server (tests/install-test-dependencies.sh does).");
        var container = await PublishedContainerAsync("cache");
        Assert.Equal(["/bin/sh", "-c"], container.Command);
        Assert.Equal("limits.memory", container.Env.Single(e => e.Name == "REDIS_MEMORY_LIMIT").ValueFrom.ResourceFieldRef.Resource);
        Assert.NotNull(container.Env.Single(e => e.Name == "REDIS_PASSWORD").ValueFrom.SecretKeyRef);

        const string password = "sentinelRedisPassword7f3a";
        var port = FreePort();
        var environment = new Dictionary<string, string> { ["REDIS_PASSWORD"] = password, ["REDIS_MEMORY_LIMIT"] = "536870912" };
        var script = ExpandAsKubernetes(Assert.Single(container.Args), environment).Replace("--port 6379", $"--port {port}", StringComparison.Ordinal);
        using var scratch = new TemporaryDirectory();
        using var redis = Start("/bin/sh", ["-c", script], environment, scratch.Path);
        try
        {
            var connection = await ConnectWhenUpAsync($"127.0.0.1:{port},password={password},allowAdmin=true");
            var server = connection.GetServer($"127.0.0.1:{port}");
            Assert.Equal("402653184", (await server.ConfigGetAsync("maxmemory")).Single().Value);
            Assert.Equal("noeviction", (await server.ConfigGetAsync("maxmemory-policy")).Single().Value);

            // The shell exec'd redis-server: its command line is all `ps` shows, and it holds no password.
            var commandLine = (await File.ReadAllTextAsync($"/proc/{redis.Id}/cmdline", TestContext.Current.CancellationToken)).Replace('\0', ' ');
            Assert.StartsWith("redis-server", commandLine);
            Assert.DoesNotContain(password, commandLine);

            // The readiness probe answers with the right password only, without putting it on a command line.
            var probe = string.Join(' ', container.ReadinessProbe.Exec.Command.Skip(2)).Replace("redis-cli", $"redis-cli -p {port}", StringComparison.Ordinal);
            Assert.Equal(0, (await CommandLine.RunAsync(scratch.Path, environment, Timeout, "/bin/sh", "-c", probe)).ExitCode);
            Assert.NotEqual(0, (await CommandLine.RunAsync(scratch.Path, new Dictionary<string, string> { ["REDIS_PASSWORD"] = "wrong" }, Timeout, "/bin/sh", "-c", probe)).ExitCode);
            await connection.DisposeAsync();
        }
        finally
        {
            redis.Kill(entireProcessTree: true);
            await redis.WaitForExitAsync(TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task PostgresAdoptsTheSecretsPasswordEveryTimeItStarts()
    {
        var programs = PostgresPrograms.Find() ?? throw new InvalidOperationException("PostgreSQL's server binaries are missing: apt-get install postgresql.");
        var runAs = UnprivilegedUser.IsNeeded ? UnprivilegedUser.Find("postgres") ?? throw new InvalidOperationException("No 'postgres' user to run PostgreSQL as.") : null;
        var container = await PublishedContainerAsync("postgres");
        var hook = container.Lifecycle.PostStart.Exec.Command;
        Assert.Equal(["/bin/sh", "-c"], hook.Take(2));

        using var scratch = new TemporaryDirectory();
        var data = Path.Combine(scratch.Path, "data");
        var socket = Path.Combine(scratch.Path, "socket");
        Directory.CreateDirectory(socket);
        if (runAs is not null)
        {
            await runAs.TakeOwnershipAsync(scratch.Path, TestContext.Current.CancellationToken);
        }

        // As the image initialises its volume: local socket trusted, TCP with a password, which is the old one.
        await RunAsAsync(runAs, programs.InitDb, "-D", data, "-U", "postgres", "--auth-local=trust", "--auth-host=scram-sha-256", "--no-instructions");
        var port = FreePort();
        var (command, args) = runAs?.Wrap(programs.Postgres, ["-D", data, "-p", $"{port}", "-k", socket, "-c", "listen_addresses=127.0.0.1"]) ?? (programs.Postgres, ["-D", data, "-p", $"{port}", "-k", socket, "-c", "listen_addresses=127.0.0.1"]);
        using var server = Start(command, args, new Dictionary<string, string>(), scratch.Path);
        try
        {
            var environment = new Dictionary<string, string>
            {
                ["POSTGRES_USER"] = "postgres",
                ["PGHOST"] = socket,
                ["PGPORT"] = $"{port}",
            };
            await RunHookAsync(runAs, hook[2], new Dictionary<string, string>(environment) { ["POSTGRES_PASSWORD"] = "oldPassword1" }, scratch.Path);
            Assert.True(await CanLogInAsync(port, "oldPassword1"));

            // The Secret was rotated and the pod restarted: the hook sets the new value.
            await RunHookAsync(runAs, hook[2], new Dictionary<string, string>(environment) { ["POSTGRES_PASSWORD"] = "newPassword2" }, scratch.Path);

            Assert.True(await CanLogInAsync(port, "newPassword2"));
            Assert.False(await CanLogInAsync(port, "oldPassword1"));
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync(TestContext.Current.CancellationToken);
        }
    }

    private static async Task RunHookAsync(UnprivilegedUser? runAs, string script, Dictionary<string, string> environment, string workingDirectory)
    {
        // runuser without --login keeps the environment, as the container's own shell would have it.
        var (command, args) = runAs?.Wrap("/bin/sh", ["-c", script]) ?? ("/bin/sh", ["-c", script]);
        var result = await CommandLine.RunAsync(workingDirectory, environment, Timeout, command, [.. args]);
        Assert.True(result.ExitCode == 0, result.AllOutput);
    }

    private static async Task RunAsAsync(UnprivilegedUser? runAs, string program, params string[] args)
    {
        var (command, wrapped) = runAs?.Wrap(program, args) ?? (program, args);
        var result = await CommandLine.RunAsync(Path.GetTempPath(), new Dictionary<string, string>(), Timeout, command, [.. wrapped]);
        Assert.True(result.ExitCode == 0, result.AllOutput);
    }

    private static async Task<bool> CanLogInAsync(int port, string password)
    {
        try
        {
            await using var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={port};Username=postgres;Password={password};Database=postgres;Pooling=false;Timeout=5");
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            return true;
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.InvalidPassword)
        {
            return false;
        }
    }

    private static Process Start(string command, IEnumerable<string> args, IReadOnlyDictionary<string, string> environment, string workingDirectory)
    {
        var startInfo = new ProcessStartInfo(command, args) { UseShellExecute = false, WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (name, value) in environment)
        {
            startInfo.Environment[name] = value;
        }

        var process = Process.Start(startInfo)!;
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        return process;
    }

    private static async Task<ConnectionMultiplexer> ConnectWhenUpAsync(string configuration)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            try
            {
                return await ConnectionMultiplexer.ConnectAsync(configuration);
            }
            catch (RedisConnectionException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200, TestContext.Current.CancellationToken);
            }
        }
    }
}
