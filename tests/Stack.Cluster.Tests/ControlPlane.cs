using System.Net.Http.Headers;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using Stack.Cluster.Tests.Envtest;
using Stack.Cluster.Tests.Kubernetes;
using Stack.Cluster.Tests.Policies;

[assembly: AssemblyFixture(typeof(Stack.Cluster.Tests.ControlPlane))]
// The control plane's binaries, its shell launcher and its owner-only key files are Unix things.
[assembly: UnsupportedOSPlatform("windows")]

namespace Stack.Cluster.Tests;

/// <summary>
/// One real Kubernetes control plane for the whole test assembly, started as envtest starts one:
/// etcd, kube-apiserver and kube-controller-manager from <c>KUBEBUILDER_ASSETS</c>, on free loopback
/// ports, with certificates, tokens and data in a temporary folder (flags as the envtest tool's
/// <c>up</c> script: token authentication, RBAC, ValidatingAdmissionPolicy and Pod Security admission).
/// The vendored CRDs are installed before any test runs. Disposing stops every process and deletes
/// the folder. When the control plane cannot run, every test that asks for <see cref="Cluster"/>
/// fails with one sentence saying how to get it: nothing is skipped.
/// </summary>
public sealed class ControlPlane : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly List<ClusterProcess> _processes = [];
    private readonly Lazy<Task> _realPolicies;
    private TemporaryDirectory? _directory;
    private KubernetesCluster? _cluster;
    private string? _unavailable;

    public ControlPlane() => _realPolicies = new(() => ClusterPolicies.InstallRealAsync(Cluster));

    /// <summary>The running cluster.</summary>
    /// <exception cref="ControlPlaneUnavailableException">It could not start; the message says why and what to do.</exception>
    internal KubernetesCluster Cluster => _cluster ?? throw new ControlPlaneUnavailableException(_unavailable ?? "The control plane has not started.");

    /// <summary>
    /// The real policies of infra/policies installed and in force (the Argo CD application
    /// stack-policies, wave -10), with the fixtures' namespace <c>games</c> enforced; once per assembly.
    /// </summary>
    internal Task RealPoliciesAsync() => _realPolicies.Value;

    public async ValueTask InitializeAsync()
    {
        AppDomain.CurrentDomain.ProcessExit += StopOnExit;
        try
        {
            var assets = EnvtestAssets.Find(Environment.GetEnvironmentVariable(EnvtestAssets.Variable));
            _directory = new TemporaryDirectory();
            _cluster = await StartAsync(assets, _directory.Path);
            await ClusterPolicies.AnchorParameterInformerAsync(_cluster);
        }
        catch (ControlPlaneUnavailableException exception)
        {
            Unavailable(exception.Message);
        }
        catch (Exception exception) when (exception is InvalidOperationException or IOException or TimeoutException or HttpRequestException)
        {
            Unavailable($"The control plane from {EnvtestAssets.Variable} did not start: {exception.Message}");
        }
    }

    public ValueTask DisposeAsync()
    {
        Stop();
        AppDomain.CurrentDomain.ProcessExit -= StopOnExit;
        return ValueTask.CompletedTask;
    }

    private async Task<KubernetesCluster> StartAsync(EnvtestAssets assets, string directory)
    {
        var pki = Certificates.Create(Path.Combine(directory, "pki"));
        var adminToken = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var controllerManagerToken = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        // Static tokens: an admin, and the controller-manager's own identity (in system:masters, as
        // the up script does by default, so no per-controller RBAC bootstrap is needed).
        var tokens = Path.Combine(pki.Directory, "tokens.csv");
        File.WriteAllText(tokens,
            $"{adminToken},stack-cluster-tests-admin,stack-cluster-tests-admin,system:masters\n"
            + $"{controllerManagerToken},system:kube-controller-manager,system:kube-controller-manager,system:masters\n");

        var etcd = await StartEtcdAsync(assets, directory);
        var server = await StartApiServerAsync(assets, directory, pki, tokens, etcd, adminToken);
        var kubeconfig = Kubeconfig.Write(Path.Combine(directory, "kubeconfig"), server, pki.CaCertificate, "stack-cluster-tests-admin", adminToken);
        var controllerManagerKubeconfig = Kubeconfig.Write(Path.Combine(directory, "kcm.kubeconfig"), server, pki.CaCertificate, "system:kube-controller-manager", controllerManagerToken);
        var cluster = new KubernetesCluster(new Kubectl(assets.Kubectl, kubeconfig), directory);

        // The CRDs go in before the controller-manager starts, so its first discovery knows their kinds:
        // installed later, the HPA controller can look up a Rollout's scale before its REST mapping
        // refreshes, and warns FailedGetScale (seen as a flaky sync test).
        await cluster.InstallCrdsAsync(Repository.Crds);
        await StartControllerManagerAsync(assets, directory, pki, controllerManagerKubeconfig, server, adminToken);
        return cluster;
    }

    private async Task<Uri> StartEtcdAsync(EnvtestAssets assets, string directory)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        return await StartWithRetriesAsync("etcd", () =>
        {
            var (client, peer) = (LoopbackPorts.Free(), LoopbackPorts.Free());
            var data = Path.Combine(directory, "etcd");
            if (Directory.Exists(data))
            {
                Directory.Delete(data, recursive: true);
            }

            var process = Launch("etcd", assets.Etcd, directory,
                "--name=stack-cluster-tests", $"--data-dir={data}",
                $"--listen-client-urls=http://127.0.0.1:{client}", $"--advertise-client-urls=http://127.0.0.1:{client}",
                $"--listen-peer-urls=http://127.0.0.1:{peer}", $"--initial-advertise-peer-urls=http://127.0.0.1:{peer}",
                $"--initial-cluster=stack-cluster-tests=http://127.0.0.1:{peer}", "--initial-cluster-state=new",
                "--logger=zap", "--log-outputs=stderr", "--log-level=warn", "--quota-backend-bytes=2147483648");
            var url = new Uri($"http://127.0.0.1:{client}");
            return (process, url, () => IsOkAsync(http, new Uri(url, "/health")));
        });
    }

    private async Task<Uri> StartApiServerAsync(EnvtestAssets assets, string directory, Certificates pki, string tokens, Uri etcd, string adminToken)
    {
        using var http = ClusterHttpClient(pki, adminToken);
        return await StartWithRetriesAsync("kube-apiserver", () =>
        {
            var port = LoopbackPorts.Free();
            var process = Launch("kube-apiserver", assets.KubeApiServer, directory,
                $"--etcd-servers={etcd}", "--bind-address=127.0.0.1", "--advertise-address=127.0.0.1", $"--secure-port={port}",
                $"--tls-cert-file={pki.ServingCertificate}", $"--tls-private-key-file={pki.ServingKey}", $"--client-ca-file={pki.CaCertificate}",
                $"--requestheader-client-ca-file={pki.FrontProxyCaCertificate}", "--requestheader-allowed-names=front-proxy-client",
                "--requestheader-username-headers=X-Remote-User", "--requestheader-group-headers=X-Remote-Group", "--requestheader-extra-headers-prefix=X-Remote-Extra-",
                $"--proxy-client-cert-file={pki.FrontProxyClientCertificate}", $"--proxy-client-key-file={pki.FrontProxyClientKey}",
                $"--token-auth-file={tokens}", "--authorization-mode=RBAC",
                // On by default since v1.30; named so the intent is visible. Pod Security admission is a default plugin.
                "--enable-admission-plugins=ValidatingAdmissionPolicy",
                "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
                $"--service-account-key-file={pki.ServiceAccountPublicKey}", $"--service-account-signing-key-file={pki.ServiceAccountKey}",
                "--service-cluster-ip-range=10.0.0.0/24", "--endpoint-reconciler-type=none", "--allow-privileged=true", "--profiling=false");
            var server = new Uri($"https://127.0.0.1:{port}");
            return (process, server, () => IsOkAsync(http, new Uri(server, "/readyz")));
        });
    }

    private async Task StartControllerManagerAsync(EnvtestAssets assets, string directory, Certificates pki, string kubeconfig, Uri server, string adminToken)
    {
        using var http = ClusterHttpClient(pki, adminToken);
        // Ready when the serviceaccount controller has made the "default" ServiceAccount.
        var defaultServiceAccount = new Uri(server, "/api/v1/namespaces/default/serviceaccounts/default");
        await StartWithRetriesAsync("kube-controller-manager", () =>
        {
            var port = LoopbackPorts.Free();
            var process = Launch("kube-controller-manager", assets.KubeControllerManager, directory,
                $"--kubeconfig={kubeconfig}", $"--authentication-kubeconfig={kubeconfig}", $"--authorization-kubeconfig={kubeconfig}",
                "--bind-address=127.0.0.1", $"--secure-port={port}", $"--cert-dir={Path.Combine(pki.Directory, "kcm")}",
                "--leader-elect=false", "--use-service-account-credentials=false",
                $"--service-account-private-key-file={pki.ServiceAccountKey}", $"--root-ca-file={pki.CaCertificate}",
                $"--cluster-signing-cert-file={pki.CaCertificate}", $"--cluster-signing-key-file={pki.CaKey}",
                "--cluster-name=stack-cluster-tests", "--service-cluster-ip-range=10.0.0.0/24", "--allocate-node-cidrs=false",
                $"--flex-volume-plugin-dir={Path.Combine(directory, "flexvolume")}", "--profiling=false",
                // HPAs act within seconds instead of the default 15 s, so a sync's waves settle quickly.
                "--horizontal-pod-autoscaler-sync-period=2s");
            return (process, server, () => IsOkAsync(http, defaultServiceAccount));
        });
    }

    /// <summary>Starts a binary until it is ready, again on a fresh port when another process took its port first.</summary>
    private static async Task<Uri> StartWithRetriesAsync(string name, Func<(ClusterProcess Process, Uri Url, Func<Task<bool>> IsReady)> start)
    {
        for (var attempt = 1; ; attempt++)
        {
            var (process, url, isReady) = start();
            var deadline = DateTime.UtcNow + StartTimeout;
            while (DateTime.UtcNow < deadline && !process.HasExited)
            {
                if (await isReady())
                {
                    return url;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(250));
            }

            if (process.LostAPortRace() && attempt < 3)
            {
                process.Stop();
                continue;
            }

            var why = process.HasExited ? "exited" : $"was not ready within {StartTimeout.TotalSeconds:0} s";
            throw new InvalidOperationException($"{name} {why}; the end of {process.LogFile}:\n{process.LogTail()}");
        }
    }

    private ClusterProcess Launch(string name, string executable, string directory, params string[] arguments)
    {
        var process = ClusterProcess.Start(name, Path.Combine(directory, $"{name}.log"), executable, arguments);
        lock (_processes)
        {
            _processes.Add(process);
        }

        return process;
    }

    private static HttpClient ClusterHttpClient(Certificates pki, string token)
    {
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) => pki.IsServedByThisCluster(certificate);
        var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(5) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    private static async Task<bool> IsOkAsync(HttpClient http, Uri url)
    {
        try
        {
            using var response = await http.GetAsync(url);
            return response.IsSuccessStatusCode;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    private void Unavailable(string why)
    {
        _unavailable = why;
        _cluster = null;
        Stop();
    }

    private void StopOnExit(object? sender, EventArgs e) => Stop();

    /// <summary>Stops the controller-manager, the API server and etcd (in that order) and deletes the folder.</summary>
    private void Stop()
    {
        lock (_processes)
        {
            foreach (var process in Enumerable.Reverse(_processes))
            {
                process.Dispose();
            }

            _processes.Clear();
        }

        _directory?.Dispose();
        _directory = null;
    }
}
