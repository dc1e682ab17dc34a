using Aspire.Hosting.ApplicationModel;
using Stack.Hosting.GitOps.Graph;
using Stack.Hosting.Observability;

namespace Stack.Hosting.GitOps.Kubernetes;

/// <summary>
/// The base objects of one workload: ServiceAccount, ConfigMaps, Service, Deployment (a Rollout
/// with its preview Service when released blue-green) or StatefulSet, the metrics Service of its
/// management port, and for autoscaled services a HorizontalPodAutoscaler, PodDisruptionBudget and
/// Ingress. Secrets are only referenced, by key, from the Secret <see cref="GitOpsEnvironmentResource.SecretName"/>.
/// </summary>
internal sealed class WorkloadManifests(GitOpsEnvironmentResource environment, Workload workload, int syncWave)
{
    private string Name => workload.Name;

    private string PartOf => environment.PartOf;

    /// <summary>The files of this workload, by file name inside its base folder.</summary>
    public IEnumerable<(string File, object Manifest)> Render()
    {
        yield return ("serviceaccount.yaml", ServiceAccount());
        if (ConfigMap() is { } config)
        {
            yield return ("configmap.yaml", config);
        }

        if (FilesConfigMap() is { } files)
        {
            yield return ("files-configmap.yaml", files);
        }

        if (workload.ServicePorts.Any())
        {
            yield return ("service.yaml", Service());
        }

        if (workload.ManagementPort is { } management)
        {
            yield return ("metrics-service.yaml", MetricsService(management));
        }

        if (workload.IsStateful)
        {
            yield return ("headless-service.yaml", HeadlessService());
        }

        if (workload.Settings.MigrationArgs is { } migration)
        {
            yield return ("migration-job.yaml", MigrationJob(migration));
        }

        if (workload.IsStateful)
        {
            yield return ("statefulset.yaml", StatefulSet());
        }
        else if (workload.Settings.BlueGreenRelease is { } blueGreen)
        {
            yield return ("rollout.yaml", Rollout(blueGreen));
            yield return ("preview-service.yaml", Service(PreviewServiceName(workload)));
        }
        else
        {
            yield return ("deployment.yaml", Deployment());
        }

        if (workload.Settings.MaxReplicas is not null)
        {
            yield return ("horizontalpodautoscaler.yaml", Autoscaler());
            yield return ("poddisruptionbudget.yaml", DisruptionBudget());
        }

        if (workload.HasExternalHttp)
        {
            yield return ("ingress.yaml", Ingress());
        }
    }

    /// <summary>The component label: what the workload is to the application.</summary>
    public static string Component(Workload workload) => workload.Resource switch
    {
        ProjectResource => "service",
        _ when workload.IsStateful => "datastore",
        _ => "container",
    };

    /// <summary>The default public host of <paramref name="workload"/> in <paramref name="environmentName"/> (null for the base).</summary>
    public static string Host(GitOpsEnvironmentResource environment, string workload, string? environmentName) =>
        environmentName is null ? $"{workload}.{environment.Domain}" : $"{workload}.{environmentName}.{environment.Domain}";

    // A migration Job runs one wave before the workload with the workload's ServiceAccount and
    // settings, so what its pods read must exist by then: Argo CD applies a wave's objects in kind
    // order (ServiceAccount and ConfigMap before Job) and waits for the Job before the next wave.
    private int MigrationWave => syncWave - 1;

    private int PodInputsWave => workload.Settings.MigrationArgs is null ? syncWave : MigrationWave;

    private OrderedDictionary<string, object> Metadata(string name, int? wave = null) => Yaml.Map(
        ("name", name),
        ("labels", Labels.For(Name, Component(workload), PartOf)),
        ("annotations", Yaml.Map((Labels.SyncWave, (wave ?? syncWave).ToString(System.Globalization.CultureInfo.InvariantCulture)))));

    private object ServiceAccount() => Yaml.Map(
        ("apiVersion", "v1"),
        ("kind", "ServiceAccount"),
        ("metadata", Metadata(Name, PodInputsWave)),
        // Nothing here talks to the Kubernetes API, so no pod gets a token it could leak.
        ("automountServiceAccountToken", false));

    private object? ConfigMap() => workload.Config.Count == 0 ? null : Yaml.Map(
        ("apiVersion", "v1"),
        ("kind", "ConfigMap"),
        ("metadata", Metadata($"{Name}-config", PodInputsWave)),
        ("data", Yaml.Sorted(workload.Config)));

    private object? FilesConfigMap() => workload.Files.Count == 0 ? null : Yaml.Map(
        ("apiVersion", "v1"),
        ("kind", "ConfigMap"),
        ("metadata", Metadata($"{Name}-files", PodInputsWave)),
        ("data", Yaml.Sorted(workload.Files.Select(f => new KeyValuePair<string, string>(f.FileName, f.Content)))));

    /// <summary>The kind of the object that runs <paramref name="workload"/>'s pods: (apiVersion, kind).</summary>
    public static (string ApiVersion, string Kind) Controller(Workload workload) => workload switch
    {
        { IsStateful: true } => ("apps/v1", "StatefulSet"),
        { IsBlueGreen: true } => (RolloutApiVersion, "Rollout"),
        _ => ("apps/v1", "Deployment"),
    };

    /// <summary>Argo Rollouts' API version.</summary>
    public const string RolloutApiVersion = "argoproj.io/v1alpha1";

    /// <summary>The Service a blue-green release's new version answers on before promotion.</summary>
    public static string PreviewServiceName(Workload workload) => $"{workload.Name}-preview";

    /// <summary>The headless Service Prometheus finds the pods' management ports through.</summary>
    public static string MetricsServiceName(Workload workload) => $"{workload.Name}-metrics";

    /// <summary>The component label of the metrics Service: what the ServiceMonitor selects.</summary>
    public const string MetricsComponent = "metrics";

    /// <summary>The AnalysisTemplate a blue-green release's promotion waits for.</summary>
    public static string AnalysisTemplateName(Workload workload) => $"{workload.Name}-slo";

    private object Service(string? name = null) => Yaml.Map(
        ("apiVersion", "v1"),
        ("kind", "Service"),
        ("metadata", Metadata(name ?? Name)),
        ("spec", Yaml.Map(
            ("type", "ClusterIP"),
            ("selector", Labels.Selector(Name, PartOf)),
            ("ports", ServicePorts()))));

    // Every pod of the workload, whichever ReplicaSet it belongs to (a blue-green release's active
    // and preview pods alike), on its management port only. Headless: Prometheus scrapes each pod.
    private object MetricsService(WorkloadPort management) => Yaml.Map(
        ("apiVersion", "v1"),
        ("kind", "Service"),
        ("metadata", Yaml.Map(
            ("name", MetricsServiceName(workload)),
            ("labels", Labels.For(Name, MetricsComponent, PartOf)),
            ("annotations", Yaml.Map((Labels.SyncWave, syncWave.ToString(System.Globalization.CultureInfo.InvariantCulture)))))),
        ("spec", Yaml.Map(
            ("clusterIP", "None"),
            ("selector", Labels.Selector(Name, PartOf)),
            ("ports", Yaml.List(Yaml.Map(("name", management.Name), ("port", management.Port), ("targetPort", management.Name), ("protocol", management.Protocol)))))));

    // Each of the workload's ports, on the Service as in the container: clients need no mapping.
    private List<object> ServicePorts() => workload.ServicePorts.Select(p => (object)Yaml.Map(
        ("name", p.Name),
        ("port", p.Port),
        ("targetPort", p.Name),
        ("protocol", p.Protocol))).ToList();

    /// <summary>The name of the headless Service that governs a StatefulSet's pod identities.</summary>
    public static string HeadlessServiceName(Workload workload) => $"{workload.Name}-headless";

    // A StatefulSet's governing Service must be headless: it gives each pod its stable DNS name
    // (cache-0.cache-headless). Clients keep using the ordinary Service, whose address is stable.
    private object HeadlessService() => Yaml.Map(
        ("apiVersion", "v1"),
        ("kind", "Service"),
        ("metadata", Metadata(HeadlessServiceName(workload))),
        ("spec", Yaml.Map(
            ("clusterIP", "None"),
            ("publishNotReadyAddresses", true),
            ("selector", Labels.Selector(Name, PartOf)),
            ("ports", ServicePorts()))));

    private object Deployment() => Yaml.Map(
        ("apiVersion", "apps/v1"),
        ("kind", "Deployment"),
        ("metadata", Metadata(Name)),
        ("spec", Yaml.Map(
            // An autoscaled Deployment leaves replicas to its HorizontalPodAutoscaler, so a sync never resets them.
            ("replicas", workload.Settings.MaxReplicas is null ? workload.Replicas : null),
            ("revisionHistoryLimit", 5),
            ("selector", Yaml.Map(("matchLabels", Labels.Selector(Name, PartOf)))),
            ("strategy", Yaml.Map(("type", "RollingUpdate"), ("rollingUpdate", Yaml.Map(("maxSurge", 1), ("maxUnavailable", 0))))),
            ("template", PodTemplate(spread: true)))));

    // Blue-green with Argo Rollouts: the new version starts behind the preview Service; before the
    // active Service switches to it, the analysis asks Prometheus for the preview pods' p95 and 5xx
    // ratio (by their rollouts-pod-template-hash); a failed analysis aborts, the old version keeps serving.
    private object Rollout(BlueGreenSettings blueGreen) => Yaml.Map(
        ("apiVersion", RolloutApiVersion),
        ("kind", "Rollout"),
        ("metadata", Metadata(Name)),
        ("spec", Yaml.Map(
            // Autoscaled: the HorizontalPodAutoscaler owns replicas (the controller defaults a missing one to 1).
            ("replicas", workload.Settings.MaxReplicas is null ? workload.Replicas : null),
            ("revisionHistoryLimit", 5),
            ("selector", Yaml.Map(("matchLabels", Labels.Selector(Name, PartOf)))),
            ("template", PodTemplate(spread: true)),
            ("strategy", Yaml.Map(("blueGreen", Yaml.Map(
                ("activeService", Name),
                ("previewService", PreviewServiceName(workload)),
                ("autoPromotionEnabled", blueGreen.AutoPromotion),
                ("scaleDownDelaySeconds", blueGreen.ScaleDownDelaySeconds),
                ("abortScaleDownDelaySeconds", blueGreen.AbortScaleDownDelaySeconds),
                ("prePromotionAnalysis", Yaml.Map(
                    ("templates", Yaml.List(Yaml.Map(("templateName", AnalysisTemplateName(workload))))),
                    ("args", Yaml.List(Yaml.Map(
                        ("name", "preview-hash"),
                        ("valueFrom", Yaml.Map(("podTemplateHashValue", "Preview")))))))))))))));

    private object StatefulSet() => Yaml.Map(
        ("apiVersion", "apps/v1"),
        ("kind", "StatefulSet"),
        ("metadata", Metadata(Name)),
        ("spec", Yaml.Map(
            ("serviceName", HeadlessServiceName(workload)),
            ("replicas", workload.Replicas),
            ("revisionHistoryLimit", 5),
            ("selector", Yaml.Map(("matchLabels", Labels.Selector(Name, PartOf)))),
            // The data outlives the pods: deleting or scaling down the StatefulSet keeps the claims.
            ("persistentVolumeClaimRetentionPolicy", Yaml.Map(("whenDeleted", "Retain"), ("whenScaled", "Retain"))),
            ("template", PodTemplate()),
            // apiVersion and kind as the API server stores them: the list is replaced as a whole on
            // apply, so anything the server adds would show as a difference after every sync.
            ("volumeClaimTemplates", workload.Volumes.Select(v => (object)Yaml.Map(
                ("apiVersion", "v1"),
                ("kind", "PersistentVolumeClaim"),
                ("metadata", Yaml.Map(("name", v.Name), ("labels", Labels.Selector(Name, PartOf)))),
                ("spec", Yaml.Map(
                    ("accessModes", Yaml.List("ReadWriteOnce")),
                    ("resources", Yaml.Map(("requests", Yaml.Map(("storage", workload.Settings.StorageSize))))))))).ToList()))));

    /// <summary>The name of the workload's migration Job and of its pods' label.</summary>
    public static string MigrationJobName(Workload workload) => $"{workload.Name}-migrate";

    private object MigrationJob(IReadOnlyList<string> args)
    {
        var name = MigrationJobName(workload);
        return Yaml.Map(
            ("apiVersion", "batch/v1"),
            ("kind", "Job"),
            ("metadata", Yaml.Map(
                ("name", name),
                ("labels", Labels.For(name, "migration", PartOf)),
                ("annotations", Yaml.Map(
                    // A Sync hook one wave before the workload: Argo CD runs it anew for every sync,
                    // waits for it to succeed, and deletes the previous run first.
                    (Labels.SyncWave, MigrationWave.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                    ("argocd.argoproj.io/hook", "Sync"),
                    ("argocd.argoproj.io/hook-delete-policy", "BeforeHookCreation"))))),
            ("spec", Yaml.Map(
                ("backoffLimit", 3),
                ("activeDeadlineSeconds", 600),
                ("template", PodTemplate(name, "migration", args)))));
    }

    private object PodTemplate(string? podName = null, string? component = null, IReadOnlyList<string>? jobArgs = null, bool spread = false)
    {
        var settings = workload.Settings;
        return Yaml.Map(
            ("metadata", Yaml.Map(("labels", Labels.For(podName ?? Name, component ?? Component(workload), PartOf)))),
            ("spec", Yaml.Map(
                ("restartPolicy", jobArgs is null ? null : "Never"),
                ("serviceAccountName", Name),
                ("automountServiceAccountToken", false),
                // Service links would add variables for every Service in the namespace to the environment.
                ("enableServiceLinks", false),
                ("securityContext", Yaml.Map(
                    ("runAsNonRoot", true),
                    ("runAsUser", settings.RunAsUser),
                    ("runAsGroup", settings.RunAsUser),
                    ("fsGroup", settings.RunAsUser),
                    ("seccompProfile", Yaml.Map(("type", "RuntimeDefault"))))),
                ("topologySpreadConstraints", spread ? TopologySpread() : null),
                ("containers", Yaml.List(Container(jobArgs))),
                ("volumes", Volumes()))));
    }

    // Replicas of a service spread over zones, then nodes, so one failure takes few of them. A
    // preference, not a rule: a single-node or single-zone cluster still schedules every replica.
    // Counting per pod-template-hash spreads each rollout's new pods, not old and new together.
    private List<object> TopologySpread() =>
    [
        .. ((string[])["topology.kubernetes.io/zone", "kubernetes.io/hostname"]).Select(key => Yaml.Map(
            ("maxSkew", 1),
            ("topologyKey", key),
            ("whenUnsatisfiable", "ScheduleAnyway"),
            ("labelSelector", Yaml.Map(("matchLabels", Labels.Selector(Name, PartOf)))),
            ("matchLabelKeys", Yaml.List(workload.IsBlueGreen ? MetricNames.RolloutHashPodLabel : "pod-template-hash")))),
    ];

    /// <summary>The workload's container; a Job's (<paramref name="jobArgs"/> set) runs those arguments, serves nothing and has no probes.</summary>
    private object Container(IReadOnlyList<string>? jobArgs)
    {
        var settings = workload.Settings;
        var http = workload.ServicePorts.FirstOrDefault(p => p.IsHttp);
        var serves = jobArgs is null;
        return Yaml.Map(
            ("name", Name),
            ("image", workload.ImageTag switch
            {
                null => workload.ImageName,
                var digest when digest.StartsWith('@') => workload.ImageName + digest,
                var tag => $"{workload.ImageName}:{tag}",
            }),
            ("imagePullPolicy", "IfNotPresent"),
            ("command", workload.Command.ToList()),
            ("args", (jobArgs ?? workload.Args).ToList()),
            ("ports", serves ? workload.Ports.Select(p => (object)Yaml.Map(("name", p.Name), ("containerPort", p.Port), ("protocol", p.Protocol))).ToList() : null),
            ("envFrom", workload.Config.Count == 0 ? null : Yaml.List(Yaml.Map(("configMapRef", Yaml.Map(("name", $"{Name}-config")))))),
            ("env", Environment()),
            ("resources", Yaml.Map(
                ("requests", Yaml.Map(("cpu", settings.CpuRequest), ("memory", settings.MemoryRequest))),
                ("limits", Yaml.Map(("cpu", settings.CpuLimit), ("memory", settings.MemoryLimit))))),
            ("securityContext", Yaml.Map(
                ("allowPrivilegeEscalation", false),
                ("privileged", false),
                ("readOnlyRootFilesystem", settings.ReadOnlyRootFilesystem),
                ("runAsNonRoot", true),
                ("capabilities", Yaml.Map(("drop", Yaml.List("ALL")))))),
            ("lifecycle", serves && settings.PostStartCommand is { } postStart
                ? Yaml.Map(("postStart", Yaml.Map(("exec", Yaml.Map(("command", postStart.ToList()))))))
                : null),
            ("startupProbe", serves ? Probe(Name, settings.Liveness, http, periodSeconds: 2, failureThreshold: 60) : null),
            ("livenessProbe", serves ? Probe(Name, settings.Liveness, http, periodSeconds: 10, failureThreshold: 3) : null),
            ("readinessProbe", serves ? Probe(Name, settings.Readiness, http, periodSeconds: 5, failureThreshold: 3) : null),
            ("volumeMounts", VolumeMounts()));
    }

    private List<object> Environment()
    {
        var env = new List<object>();

        // Values composed from secrets (a connection string with a password, an argument) read
        // each secret through a variable of its own; Kubernetes expands $(NAME) of variables
        // declared before, in env values, command and args.
        var composed = workload.SecretEnvironment.Where(e => !e.Value.IsWholeSecret).ToList();
        var expanded = composed.SelectMany(e => e.Value.SecretKeys).Concat(workload.ArgumentSecretKeys);
        foreach (var key in expanded.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            env.Add(SecretVariable(KubernetesValue.SecretVariable(key), key));
        }

        foreach (var (name, value) in workload.SecretEnvironment.Where(e => e.Value.IsWholeSecret))
        {
            env.Add(SecretVariable(name, value.SecretKeys[0]));
        }

        foreach (var (name, value) in composed)
        {
            env.Add(Yaml.Map(("name", name), ("value", value.Text)));
        }

        if (workload.Settings.MemoryLimitVariable is { } memoryLimit)
        {
            env.Add(Yaml.Map(
                ("name", memoryLimit),
                ("valueFrom", Yaml.Map(("resourceFieldRef", Yaml.Map(("containerName", Name), ("resource", "limits.memory")))))));
        }

        return env;
    }

    private object SecretVariable(string name, string key) => Yaml.Map(
        ("name", name),
        ("valueFrom", Yaml.Map(("secretKeyRef", Yaml.Map(("name", environment.SecretName), ("key", key))))));

    private static object Probe(string name, KubernetesProbe probe, WorkloadPort? http, int periodSeconds, int failureThreshold)
    {
        object action = probe switch
        {
            { Path: { } path } => Yaml.Map(("httpGet", Yaml.Map(("path", path), ("port", http?.Name ?? throw new GitOpsPublishException(
                $"Resource '{name}' is probed with HTTP GET {path} but has no HTTP endpoint. Give it one, or set Liveness and Readiness with PublishAsKubernetes(...)."))))),
            { Command: { } command } => Yaml.Map(("exec", Yaml.Map(("command", command.ToList())))),
            _ => Yaml.Map(("tcpSocket", Yaml.Map(("port", probe.TcpPort!.Value)))),
        };

        var map = (OrderedDictionary<string, object>)action;
        map["periodSeconds"] = periodSeconds;
        map["timeoutSeconds"] = 3;
        map["failureThreshold"] = failureThreshold;
        return map;
    }

    private List<object> VolumeMounts()
    {
        var mounts = new List<object>();
        mounts.AddRange(workload.Volumes.Select(v => Yaml.Map(("name", v.Name), ("mountPath", v.MountPath))));
        mounts.AddRange(workload.Settings.WritablePaths.Select((path, i) => Yaml.Map(("name", $"scratch-{i}"), ("mountPath", path))));
        mounts.AddRange(workload.Files.Select((file, i) => Yaml.Map(("name", $"files-{i}"), ("mountPath", $"{file.MountPath.TrimEnd('/')}/{file.FileName}"), ("subPath", file.FileName), ("readOnly", true))));
        return mounts;
    }

    private List<object> Volumes()
    {
        var volumes = new List<object>();
        volumes.AddRange(workload.Settings.WritablePaths.Select((_, i) => Yaml.Map(("name", $"scratch-{i}"), ("emptyDir", Yaml.Map(("sizeLimit", "256Mi"))))));
        volumes.AddRange(workload.Files.Select((_, i) => Yaml.Map(("name", $"files-{i}"), ("configMap", Yaml.Map(("name", $"{Name}-files"))))));
        return volumes;
    }

    private object Autoscaler() => Yaml.Map(
        ("apiVersion", "autoscaling/v2"),
        ("kind", "HorizontalPodAutoscaler"),
        ("metadata", Metadata(Name)),
        ("spec", Yaml.Map(
            ("scaleTargetRef", Yaml.Map(("apiVersion", Controller(workload).ApiVersion), ("kind", Controller(workload).Kind), ("name", Name))),
            ("minReplicas", workload.Replicas),
            ("maxReplicas", workload.Settings.MaxReplicas!.Value),
            ("metrics", Yaml.List(Yaml.Map(
                ("type", "Resource"),
                ("resource", Yaml.Map(("name", "cpu"), ("target", Yaml.Map(("type", "Utilization"), ("averageUtilization", 70)))))))))));

    private object DisruptionBudget() => Yaml.Map(
        ("apiVersion", "policy/v1"),
        ("kind", "PodDisruptionBudget"),
        ("metadata", Metadata(Name)),
        ("spec", Yaml.Map(
            // Drains take one pod at a time, and never block on a single-replica environment.
            ("maxUnavailable", 1),
            ("selector", Yaml.Map(("matchLabels", Labels.Selector(Name, PartOf)))))));

    /// <summary>The annotation that has cert-manager issue the Ingress's certificate.</summary>
    public const string ClusterIssuerAnnotation = "cert-manager.io/cluster-issuer";

    // API keys travel in headers: the endpoint is served over TLS only (ingress-nginx redirects
    // plain HTTP for hosts with a certificate), with a certificate cert-manager keeps renewed.
    private object Ingress()
    {
        var metadata = Metadata(Name);
        ((OrderedDictionary<string, object>)metadata["annotations"])[ClusterIssuerAnnotation] = environment.TlsClusterIssuer;
        return Yaml.Map(
            ("apiVersion", "networking.k8s.io/v1"),
            ("kind", "Ingress"),
            ("metadata", metadata),
            ("spec", IngressSpec(workload, Host(environment, Name, null), environment.IngressClass)));
    }

    /// <summary>An Ingress spec serving <paramref name="workload"/>'s external HTTP endpoint at <paramref name="host"/> over TLS; overlays give their own.</summary>
    public static OrderedDictionary<string, object> IngressSpec(Workload workload, string host, string ingressClass)
    {
        var http = workload.Ports.First(p => p.IsHttp && p.IsExternal);
        var backend = Yaml.Map(("service", Yaml.Map(("name", workload.Name), ("port", Yaml.Map(("name", http.Name))))));
        var path = Yaml.Map(("path", "/"), ("pathType", "Prefix"), ("backend", backend));
        return Yaml.Map(
            ("ingressClassName", ingressClass),
            ("tls", Yaml.List(Yaml.Map(("hosts", Yaml.List(host)), ("secretName", $"{workload.Name}-tls")))),
            ("rules", Yaml.List(Yaml.Map(("host", host), ("http", Yaml.Map(("paths", Yaml.List(path))))))));
    }
}
